import Foundation
import RunbookTestPeers
import Testing

/// Hostile values in every quoting context of a shell command, through the built binary: `exec -i` and `serve` for
/// every alert source. No value may run a command, and each must reach the step byte for byte.
@Suite("shell values", .timeLimit(.minutes(5)))
struct ShellValueTests {
    /// Values made to break out of a command, each of which would create `marker` if the shell ever parsed it.
    static func hostileValues(marker: String) -> [String] {
        let touch = "touch \(marker)"
        let big = String(String(repeating: "$(\(touch))`\(touch)`;'\"\\\n", count: 2_000).utf8.prefix(65_536))!
        return [
            "x'; \(touch); '", "x\"; \(touch); \"", "'", "\"", "$(\(touch))", "`\(touch)`", "; \(touch)",
            "&& \(touch)", "| \(touch)", "x\n\(touch)\n", "\nEOF\n\(touch)\nEOF\n", "EOF", "-n", "--", "-e \\x41",
            "$HOME", "${IFS}\(touch.replacingOccurrences(of: " ", with: "${IFS}"))", "*", "/*", "~",
            "\"$RUNBOOK_VALUE_1\"",
            "${RUNBOOK_VALUE_1}", "\\", "\\$(\(touch))", "a[$(\(touch))]", "$((1+1))", "x\\\ny", "%s%n%b",
            "ünïcødé ✓ 日本語 🎉", " padded\t ", "", "\r\n", big,
        ]
    }

    /// A script writing the value of `value` (an expression as written) in each context that has a safe form: a
    /// bare word, inside double quotes, an unquoted heredoc, `$(…)` and backticks, into files under `directory`.
    static func contexts(_ value: String, into directory: String) -> String {
        """
        mkdir -p \(directory)
        printf -- '%s' \(value) > \(directory)/bare
        printf '%s' "<\(value)>" > \(directory)/quoted
        cat > \(directory)/heredoc <<EOF
        \(value) $((1 + 1)) \\$HOME
        EOF
        x=$(printf -- '%s' \(value); printf .); printf '%s' "${x%.}" > \(directory)/substitution
        x=`printf -- '%s' \(value); printf .`; printf '%s' "${x%.}" > \(directory)/backticks
        """
    }

    /// What each file of ``contexts(_:into:)`` must hold for `value`.
    static func expected(_ value: String) -> [(file: String, bytes: String)] {
        [("bare", value), ("quoted", "<\(value)>"), ("heredoc", "\(value) 2 $HOME\n"), ("substitution", value),
         ("backticks", value)]
    }

    /// Checks the files under `directory` against `value`.
    static func checkFiles(in directory: String, _ value: String, _ label: String) {
        for (file, bytes) in expected(value) {
            let data = FileManager.default.contents(atPath: "\(directory)/\(file)")
            #expect(data == Data(bytes.utf8), "\(label) \(file): \(value.debugDescription.prefix(120))")
        }
    }

    /// `text` with every line indented by `spaces`.
    static func indented(_ text: String, _ spaces: Int) -> String {
        let indent = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }.joined(separator: "\n")
    }

    @Test("through exec -i, with sh and with bash: every value reaches each safe context as it is, and nothing runs")
    func execCorpus() throws {
        let workspace = try TemporaryWorkspace()
        let marker = workspace.path("pwned")
        let out = workspace.path("out")
        try workspace.runbook("values", """
            inputs:
              v: { type: string }
            steps:
              - id: sh
                mutating: false
                run: |
            \(Self.indented(Self.contexts("${{ inputs.v }}", into: "\(out)/sh"), 6))
              - id: bash
                mutating: false
                with: { shell: bash }
                run: |
            \(Self.indented(Self.contexts("${{ inputs.v }}", into: "\(out)/bash"), 6))
            """)
        let validation = try workspace.run(["validate", "runbooks/values.yaml"])
        #expect(validation.status == 0, "\(validation.stderr)")
        for value in Self.hostileValues(marker: marker) {
            try? FileManager.default.removeItem(atPath: out)
            let result = try workspace.run(["exec", "values", "-i", "v=\(value)"])
            #expect(result.status == 0, "\(value.debugDescription.prefix(120)): \(result.stdout) \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: marker), "\(value.debugDescription.prefix(120)) ran")
            for shell in ["sh", "bash"] { Self.checkFiles(in: "\(out)/\(shell)", value, shell) }
        }
    }

    /// Places where no reference is safe, with the start of what validate says about each.
    static let refusedContexts: [(command: String, problem: String)] = [
        ("echo '${{ inputs.v }}'", "is inside single quotes"),
        ("echo 'a'\"b\"'${{ inputs.v }}'", "is inside single quotes"),
        ("cat <<'EOF'\n${{ inputs.v }}\nEOF", "is inside a heredoc whose delimiter is quoted"),
        ("cat <<\"EOF\"\n${{ inputs.v }}\nEOF", "is inside a heredoc whose delimiter is quoted"),
        ("cat <<\\EOF\n${{ inputs.v }}\nEOF", "is inside a heredoc whose delimiter is quoted"),
        ("echo $(( ${{ inputs.v }} + 1 ))", "is inside an arithmetic expression"),
        ("(( n = ${{ inputs.v }} ))", "is inside an arithmetic expression"),
        ("[[ ${{ inputs.v }} -eq 1 ]]", "is inside [[ … ]]"),
        ("echo \"${x:-${{ inputs.v }}}\"", "is inside a ${…} parameter expansion"),
        ("eval \"echo ${{ inputs.v }}\"", "is an argument of 'eval'"),
        ("sh -c \"echo ${{ inputs.v }}\"", "is part of the script that 'sh -c' runs"),
        ("sudo -u postgres bash -lc 'echo ${{ inputs.v }}'", "is part of the script that 'bash -c' runs"),
        ("kubectl exec pod -- sh -c \"cat ${{ inputs.v }}\"", "is part of the script that 'sh -c' runs"),
        ("ssh -o BatchMode=yes db-1 df ${{ inputs.v }}", "is part of the command ssh sends"),
        ("echo $'${{ inputs.v }}'", "is inside $'…' quotes"),
        ("echo ${{ inputs.v }} | sh", "reaches the input of 'sh'"),
        ("echo \"${{ inputs.v }}", "is in a command whose shell syntax runbook cannot follow"),
    ]

    @Test("places with no safe form are refused by validate at the expression, with the fix; exec runs nothing")
    func refusedAtValidation() throws {
        let workspace = try TemporaryWorkspace()
        let marker = workspace.path("pwned")
        var body = "inputs:\n  v: { type: string }\nsteps:\n"
        for (number, place) in Self.refusedContexts.enumerated() {
            body += "  - id: s\(number)\n    mutating: false\n    run: |\n      touch \(marker)\n"
                + Self.indented(place.command, 6) + "\n"
        }
        try workspace.runbook("refused", body)
        let lines = ("name: refused\n" + body).split(separator: "\n", omittingEmptySubsequences: false)
        let result = try workspace.run(["validate", "runbooks/refused.yaml"])
        #expect(result.status == 2)
        let expressionLines = lines.indices.filter { lines[$0].contains("${{ inputs.v }}") }
        try #require(expressionLines.count == Self.refusedContexts.count)
        for (number, place) in Self.refusedContexts.enumerated() {
            let line = expressionLines[number]
            let column = try #require(lines[line].range(of: "${{")).lowerBound.utf16Offset(in: lines[line]) + 1
            let expected = "runbooks/refused.yaml:\(line + 1):\(column): error: in the command of step 's\(number)', "
                + "${{ inputs.v }} \(place.problem)"
            #expect(result.stderr.contains(expected), "\(expected)\n\(result.stderr)")
        }
        #expect(result.stderr.components(separatedBy: "\n    help: ").count == Self.refusedContexts.count + 1)
        #expect(result.stderr.contains(
            "help: end the single quotes around it: '…'\"${{ inputs.v }}\"'…', or pass it through the step's env: "
                + "(V: \"${{ inputs.v }}\") and read \"$V\""))
        for value in Self.hostileValues(marker: marker).prefix(8) {
            let exec = try workspace.run(["exec", "refused", "-i", "v=\(value)", "--yes"])
            #expect(exec.status == 2)
            #expect(exec.stderr.contains("is inside single quotes"))
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(try workspace.latestRun() == nil)
    }

    @Test("a value that starts with '-' never becomes an option: the step fails before it starts, naming the value")
    func leadingDash() throws {
        let workspace = try TemporaryWorkspace()
        let out = workspace.path("out")
        try workspace.runbook("dash", """
            inputs:
              v: { type: string }
            steps:
              - { id: joined, run: "printf '%s' --flag=${{ inputs.v }} > \(out).joined", mutating: false, needs: [] }
              - { id: after, run: "printf -- '%s' ${{ inputs.v }} > \(out).after", mutating: false, needs: [] }
              - { id: positional, run: "printf '%s' ${{ inputs.v }} > \(out).positional", mutating: false, needs: [] }
            """)
        let dashed = try workspace.run(["exec", "dash", "-i", "v=-n"])
        #expect(dashed.status == 1)
        let output = dashed.stdout + dashed.stderr
        #expect(output.contains("the value of ${{ inputs.v }} is '-n': it starts with '-' and begins an argument"),
                "\(output)")
        #expect(output.contains("--flag=${{ inputs.v }}"))
        #expect(FileManager.default.contents(atPath: "\(out).joined") == Data("--flag=-n".utf8))
        #expect(FileManager.default.contents(atPath: "\(out).after") == Data("-n".utf8))
        #expect(!FileManager.default.fileExists(atPath: "\(out).positional"))
        let events = try workspace.events()
        #expect(!events.contains { $0["type"] as? String == "step.started" && $0["step"] as? String == "positional" })
        let plain = try workspace.run(["exec", "dash", "-i", "v=n"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(FileManager.default.contents(atPath: "\(out).positional") == Data("n".utf8))
    }

    @Test("the audit log and the gate show the command with its values quoted and secrets redacted; env names are kept")
    func shownCommand() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("shown", """
            inputs:
              v: { type: string }
              token: { type: string, secret: true }
            steps:
              - id: a
                run: echo ${{ inputs.v }} "t=${{ inputs.token }}"
                mutating: false
            """)
        let result = try workspace.run(["exec", "shown", "-i", "v=it's $(x)", "-i", "token=hunter2$\"x"])
        #expect(result.status == 0, "\(result.stderr)")
        let started = try #require(try workspace.events().first { $0["type"] as? String == "step.started" })
        let command = ((started["data"] as? [String: Any])?["parameters"] as? [String: Any])?["command"] as? String
        #expect(command == #"echo 'it'\''s $(x)' "t=***""#)
        #expect(!(try workspace.run(["audit", "export"]).stdout.contains("hunter2")))
        #expect(!result.stdout.contains("hunter2"))

        try workspace.runbook("taken", """
            steps:
              - id: a
                run: echo ${{ run.id }}
                env: { RUNBOOK_VALUE_1: x }
            """)
        let taken = try workspace.run(["validate", "runbooks/taken.yaml"])
        #expect(taken.status == 2)
        #expect(taken.stderr.contains("sets the environment variable 'RUNBOOK_VALUE_1'"), "\(taken.stderr)")
    }

    @Test("validate warns, without failing, about alert-fed inputs with no pattern or enum")
    func alertInputWarning() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("fed", """
            inputs:
              service: { type: string }
              checked: { type: string, pattern: "^[a-z]+$" }
              count: { type: int, default: 1 }
            triggers:
              - { source: alertmanager, match: { alertname: A }, inputs: { service: "${{ alert.labels.s }}" } }
              - source: grafana
                match: { alertname: B }
                inputs: { service: "${{ alert.labels.s }}", checked: "${{ alert.labels.c }}", count: "1" }
            steps:
              - { id: a, run: "echo ${{ inputs.service }}", mutating: false }
            """)
        let result = try workspace.run(["validate", "runbooks/fed.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains(
            "runbooks/fed.yaml:3:3: warning: input 'service' is set from alerts by triggers 1, 2 but has no "
                + "'pattern:' or 'enum:'"), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "warning:").count == 2)
        #expect(result.stdout.contains("runbooks/fed.yaml: ok"))
        let bundled = try RunbookBinary.run(["validate", "runbooks/"])
        #expect(bundled.status == 0, "\(bundled.stderr)")
        #expect(!bundled.stderr.contains("warning:"), "\(bundled.stderr)")
    }

    @Test("through serve, for every alert source: alert labels reach each safe context as they are; nothing runs")
    func serveCorpus() throws {
        let topic = "arn:aws:sns:eu-west-1:123456789012:alerts"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbsv-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let marker = "\(directory)/pwned"
        let settings = "  sns_topics: [\"\(topic)\"]\n  max_concurrent_runs: 8"
        let server = try ServeInstance(serve: settings, runbooks: ["hostile": """
            inputs:
              v: { type: string, default: "" }
            triggers:
              - { source: alertmanager, match: { alertname: Hostile }, inputs: { v: "${{ alert.labels.v }}" } }
              - { source: grafana, match: { alertname: Hostile }, inputs: { v: "${{ alert.labels.v }}" } }
              - { source: cloudwatch, match: { namespace: Hostile }, inputs: { v: "${{ alert.labels.dim_V }}" } }
              - source: pagerduty
                match: { event_type: incident.triggered }
                inputs: { v: "${{ alert.labels.title }}" }
            steps:
              - id: write
                mutating: false
                run: |
            \(Self.indented(Self.contexts("${{ inputs.v }}", into: "\(directory)/${{ run.id }}"), 6))
            """])
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let body = "\(directory)/body.json"
        func hook(_ source: String, number: Int, value: String) throws -> ServeInstance.Reply {
            // A file: the biggest bodies do not fit in curl's arguments.
            try Self.alert(source, number: number, value: value, topic: topic).write(
                toFile: body, atomically: true, encoding: .utf8)
            return try server.request(
                "POST", "/hooks/\(source)", file: body, token: ServeInstance.tokens["alertmanager"])
        }
        let values = Self.hostileValues(marker: marker).filter { !$0.isEmpty }
        var runs: [(run: String, value: String, source: String)] = []
        for (number, value) in values.enumerated() {
            for source in ["alertmanager", "grafana", "cloudwatch", "pagerduty"] {
                let reply = try hook(source, number: number, value: value)
                #expect(reply.status == 200, "\(source): \(reply.body)")
                let run = try #require(reply.firstRun, "\(source) \(value.debugDescription.prefix(80)): \(reply.body)")
                runs.append((run, value, source))
            }
        }
        for (number, source) in ["alertmanager", "grafana", "cloudwatch", "pagerduty"].enumerated() {
            let reply = try hook(source, number: 1_000 + number, value: "a\u{0}b")
            #expect(reply.firstRun == nil, "a NUL reached a run from \(source): \(reply.body)")
        }
        for (run, value, source) in runs {
            #expect(try server.waitFor(run: run, status: "succeeded", seconds: 120), "\(source) \(run)")
            Self.checkFiles(in: "\(directory)/\(run)", value, source)
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        let rejected = try server.workspace.events().filter { $0["type"] as? String == "webhook.rejected" }
        #expect(rejected.count == 0)
    }

    /// One firing alert of `source` whose label (or dimension, or title) holds `value`.
    static func alert(_ source: String, number: Int, value: String, topic: String) -> String {
        func json(_ object: Any) -> String {
            String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(),
                   as: UTF8.self)
        }
        let time = "2026-12-04T10:00:00.000Z"
        switch source {
        case "alertmanager":
            return ServeInstance.alertmanager(["alertname": "Hostile", "v": value, "n": String(number)])
        case "grafana":
            return json(["receiver": "r", "status": "firing", "version": "1", "alerts": [[
                "status": "firing", "labels": ["alertname": "Hostile", "v": value, "n": String(number)],
                "annotations": [:], "startsAt": time,
            ]]])
        case "cloudwatch":
            let alarm = json([
                "AlarmName": "hostile-\(number)", "NewStateValue": "ALARM", "StateChangeTime": time,
                "AlarmArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:hostile-\(number)",
                "Trigger": ["Namespace": "Hostile", "MetricName": "M", "Dimensions": [["name": "V", "value": value]]],
            ])
            return json(["Type": "Notification", "TopicArn": topic, "MessageId": "m-\(number)", "Message": alarm])
        default:
            return json(["event": [
                "id": "e-\(number)", "event_type": "incident.triggered", "resource_type": "incident",
                "occurred_at": time, "data": ["id": "INC\(number)", "title": value, "status": "triggered"],
            ]])
        }
    }
}
