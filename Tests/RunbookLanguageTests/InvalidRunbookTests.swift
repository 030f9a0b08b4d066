import Foundation
import Testing
@testable import RunbookLanguage

/// Each invalid fixture in Fixtures/invalid, with every diagnostic it must produce: exact line, column and message.
struct InvalidRunbookTests {
    static let cases: [(fixture: String, expected: [String])] = [
        ("action-and-run", [
            "5:5: step 'a' has both 'action' and 'run'",
        ]),
        ("bad-confirm", [
            "7:7: unknown key 'mesage' in 'confirm' of step 'restart' (did you mean 'message'?)",
            "8:16: 'default' of 'confirm' of step 'restart' must be 'deny' or 'approve', not 'allow'",
            "10:22: 'min_approvals' of 'confirm' of step 'restart' is 2, but 'approvers' names only 1 person",
        ]),
        ("bad-duration", [
            "2:6: 'rto': invalid duration '15 minutes': a unit was expected; write a number and a unit (ms, s, m, h, d), e.g. '90s', '15m' or '1h30m' (did you mean '15s'?)",
            "6:14: 'timeout' of step 'a': invalid duration '30': it has no unit; write a number and a unit (ms, s, m, h, d), e.g. '90s', '15m' or '1h30m' (did you mean '30s'?)",
        ]),
        ("bad-enum-parameter", [
            "5:19: parameter 'mode' of 'pg.kill' must be one of 'cancel', 'terminate', not 'terminat' (did you mean 'terminate'?)",
        ]),
        ("bad-if-expression", [
            "6:25: unexpected character '='; compare with '=='",
        ]),
        ("bad-input-type", [
            "3:18: unknown type 'integer' for input 'count' (did you mean 'int'?)",
        ]),
        ("bad-name", [
            "1:7: invalid runbook name 'Bad_Name': use lowercase letters, digits and '-', starting with a letter or digit",
            "1:7: the runbook's name 'Bad_Name' does not match its file name 'bad-name'",
        ]),
        ("bad-pattern", [
            "3:23: 'pattern' of input 'service': invalid regular expression '^[a-z': expected ']'",
        ]),
        ("bad-retry", [
            "6:24: 'attempts' of 'retry' of step 'verify' must be at least 1, not 0",
            "6:34: 'delay' of 'retry' of step 'verify': invalid duration 'soon': it has no number; write a number and a unit (ms, s, m, h, d), e.g. '90s', '15m' or '1h30m'",
            "6:49: 'backoff' of 'retry' of step 'verify' must be 'constant' or 'exponential', not 'linear'",
        ]),
        ("bad-severity", [
            "2:11: unknown severity 'SEV5'; use SEV1, SEV2, SEV3, SEV4 (or P0..P3)",
        ]),
        ("bad-status-code", [
            "5:60: parameter 'expect_status' of 'http.check' must list HTTP statuses (100 to 599), and 999 is not one",
        ]),
        ("bad-step-id", [
            "3:9: invalid step id 'Check Health': use lowercase letters, digits, '_' and '-', starting with a letter or digit",
        ]),
        ("cycle", [
            "5:5: the steps' needs form a cycle: a -> c -> b -> a",
        ]),
        ("default-fails-pattern", [
            "4:14: the default of input 'service' is invalid: 'api; rm -rf /' does not match the pattern '^[a-z0-9-]+$'",
        ]),
        ("default-fails-type", [
            "3:35: the default of input 'replicas' is invalid: 'many' is not an int",
            "4:47: the default of input 'mode' is invalid: 'kill' is not one of 'cancel', 'terminate'",
        ]),
        ("duplicate-key", [
            "5:5: duplicate key 'run' in step 1; the first is at line 4",
        ]),
        ("duplicate-step-id", [
            "5:5: duplicate step id 'check'; the first is at line 3",
        ]),
        ("empty-file", [
            "1:1: the file is empty",
        ]),
        ("empty-steps", [
            "2:8: 'steps' is empty",
        ]),
        ("env-on-non-shell", [
            "6:5: 'env' only applies to shell steps, and step 'health' runs 'http.check'",
        ]),
        ("exclusive-parameters", [
            "5:43: action 'k8s.scale' takes 'replicas' or 'by', not both",
        ]),
        ("invalid-yaml", [
            "6:1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 4, column 10)",
        ]),
        ("malformed-expression", [
            "6:47: expected a value after '=='",
        ]),
        ("missing-name", [
            "1:1: missing required key 'name'",
        ]),
        ("missing-parameter", [
            "5:5: action 'ecs.service' needs parameter 'service' (The ECS service's name or ARN.)",
        ]),
        ("missing-step-id", [
            "3:5: step 1 is missing required key 'id'",
        ]),
        ("missing-steps", [
            "1:1: missing required key 'steps'",
        ]),
        ("name-mismatch", [
            "1:7: the runbook's name 'api-down' does not match its file name 'name-mismatch'",
        ]),
        ("no-action", [
            "3:5: step 'a' needs 'action' or 'run'",
        ]),
        ("not-a-mapping", [
            "1:1: a runbook must be a mapping, not a list",
        ]),
        ("reads-own-outputs", [
            "6:9: step 'depth' reads its own result, which does not exist yet",
        ]),
        ("self-need", [
            "5:5: step 'a' needs itself",
        ]),
        ("shell-unsafe-places", [
            "6:27: in the command of step 'quoted', ${{ inputs.svc }} is inside single quotes ('…'), where the shell "
                + "expands nothing, so its value cannot be handed over safely",
            "10:43: in the command of step 'heredoc', ${{ inputs.svc }} is inside a heredoc whose delimiter is quoted "
                + "(<<'EOF', <<\"EOF\" or <<\\EOF), where the shell expands nothing, so its value cannot be handed over "
                + "safely",
            "12:12: step 'heredoc' sets the environment variable 'RUNBOOK_VALUE_1', but names starting with "
                + "RUNBOOK_VALUE_ carry the values of the command's ${{ }}",
            "14:40: in the command of step 'nested', ${{ inputs.svc }} is part of the script that 'sh -c' runs, so its "
                + "value would be parsed as shell code",
        ]),
        ("status-function-outside-if", [
            "5:22: success(), failure(), always() and cancelled() can only be used in 'if:'",
        ]),
        ("step-key-in-with", [
            "7:7: 'timeout' is a step key, not a parameter of 'http.check'",
        ]),
        ("step-not-upstream", [
            "8:13: step 'restart' reads 'steps.check', but 'check' does not run before it",
        ]),
        ("trigger-unknown-input", [
            "7:20: trigger 1 sets unknown input 'svc'",
            "7:65: a trigger can only read 'alert', not 'steps'",
        ]),
        ("unclosed-expression", [
            "6:15: '${{' is never closed; end the expression with '}}'",
        ]),
        ("unknown-action", [
            "4:13: unknown action 'http.chek' (did you mean 'http.check'?)",
        ]),
        ("unknown-context", [
            "5:27: unknown context 'input' (did you mean 'inputs'?)",
        ]),
        ("unknown-function", [
            "5:27: unknown function 'contain' (did you mean 'contains'?)",
        ]),
        ("unknown-input", [
            "7:38: unknown input 'servce' (did you mean 'service'?)",
        ]),
        ("unknown-needs", [
            "7:13: step 'deploy' needs unknown step 'biuld' (did you mean 'build'?)",
        ]),
        ("unknown-output", [
            "7:9: step 'stopped' (ecs.stopped_tasks) has no output 'oom'",
        ]),
        ("unknown-parameter", [
            "7:7: unknown parameter 'expect_stauts' for action 'http.check' (did you mean 'expect_status'?)",
        ]),
        ("unknown-step-key", [
            "7:5: unknown key 'neds' in step 'b' (did you mean 'needs'?)",
        ]),
        ("unknown-top-key", [
            "2:1: unknown key 'titel' in a runbook (did you mean 'title'?)",
        ]),
        ("unknown-trigger-source", [
            "3:13: unknown alert source 'alertmanger' (did you mean 'alertmanager'?)",
        ]),
        ("wrong-parameter-type", [
            "5:49: parameter 'limit' of 'ecs.stopped_tasks' must be an integer, not 'ten'",
        ]),
    ]

    @Test("an invalid runbook reports exactly its problems", arguments: cases)
    func reportsExactDiagnostics(fixture: String, expected: [String]) throws {
        let path = try #require(Bundle.module.path(
            forResource: fixture, ofType: "yaml", inDirectory: "Fixtures/invalid"))
        guard case .failure(let failure) = RunbookLoader().load(path: path) else {
            Issue.record("\(fixture) was accepted")
            return
        }
        let found = failure.diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        #expect(found == expected)
        #expect(failure.diagnostics.allSatisfy { $0.location.file == path })
    }

    @Test("every fixture in Fixtures/invalid has its expectations")
    func everyFixtureIsCovered() throws {
        let folder = try #require(Bundle.module.resourcePath) + "/Fixtures/invalid"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        #expect(Set(names) == Set(Self.cases.map(\.fixture)))
        #expect(Self.cases.count >= 30)
    }
}
