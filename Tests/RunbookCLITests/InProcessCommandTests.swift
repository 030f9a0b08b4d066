import ArgumentParser
import Foundation
import Testing

@testable import RunbookCLI

/// The commands run in the test's process through ``RunbookCLI/run(arguments:context:)``, with their output
/// captured and compared whole: what a user's script would read, and the exit code it would branch on.
@Suite("commands run in process")
struct InProcessCommandTests {
    static let greet = """
        title: Say hello
        severity: SEV3
        steps:
          - { id: hello, run: echo hello, mutating: false }
        """

    @Test("validate: a good runbook is ok on stdout, exit 0")
    func validateGood() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("greet", Self.greet)
        let file = workspace.path("runbooks/greet.yaml")
        let result = await InProcessRunbook(workspace).run(["validate", file])
        #expect(result.status == .success)
        #expect(result.stdout == "\(file): ok\n1 runbook checked, 0 invalid\n")
        #expect(result.stderr == "")
    }

    @Test("validate: a bad runbook's diagnostic is file:line:col on stderr, exit 2")
    func validateBad() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("broken", """
            steps:
              - { id: a, run: echo a, mutating: false }
              - id: b
                run: echo b
                mutating: false
                neds: [a]
            """)
        let file = workspace.path("runbooks/broken.yaml")
        let result = await InProcessRunbook(workspace).run(["validate", file])
        #expect(result.status == .invalid)
        #expect(result.stdout == "")
        #expect(result.stderr == """
            \(file):7:5: error: unknown key 'neds' in step 'b' (did you mean 'needs'?)
                help: the keys of step 'b' are id, name, action, run, with, needs, if, timeout, retry, \
            continue_on_error, confirm, mutating, recovery, env, lock
            1 runbook checked, 1 invalid

            """)
    }

    @Test("list: the workspace's runbooks as a table, found through $RUNBOOK_CONFIG")
    func list() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("greet", Self.greet)
        try workspace.runbook("api-down", """
            title: API is down
            severity: SEV1
            rto: 15m
            steps:
              - { id: look, run: echo look, mutating: false }
            """)
        let result = await InProcessRunbook(workspace).run(["list"])
        #expect(result.status == .success)
        #expect(result.stdout == """
            NAME      TITLE        SEVERITY  RTO  TRIGGERS
            api-down  API is down  SEV1      15m  0
            greet     Say hello    SEV3      -    0

            """)
        #expect(result.stderr == "")
    }

    @Test("--version prints the version, exit 0")
    func version() async throws {
        let result = await InProcessRunbook(try TemporaryWorkspace()).run(["--version"])
        #expect(result.status == .success)
        #expect(result.stdout == "\(RunbookCommand.version)\n")
        #expect(result.stderr == "")
    }

    @Test("an unknown command and an unknown option are usage errors, exit 2")
    func usageErrors() async throws {
        let runbook = InProcessRunbook(try TemporaryWorkspace())
        let command = await runbook.run(["frobnicate"])
        #expect(command.status == .invalid)
        #expect(command.stdout == "")
        #expect(command.stderr == "error: unknown command 'frobnicate'\n    help: 'runbook --help' lists the commands\n")
        let option = await runbook.run(["schema", "--bogus"])
        #expect(option.status == .invalid)
        #expect(option.stdout == "")
        #expect(option.stderr == """
            Error: Unknown option '--bogus'
            Usage: runbook schema
              See 'runbook schema --help' for more information.

            """)
    }

    @Test("every command runs with the context: none is left to ArgumentParser's own run()")
    func everyCommandTakesTheContext() {
        func leaves(_ command: any ParsableCommand.Type) -> [any ParsableCommand.Type] {
            let subcommands = command.configuration.subcommands
            return subcommands.isEmpty ? [command] : subcommands.flatMap(leaves)
        }
        let all = RunbookCommand.subcommands.flatMap(leaves)
        #expect(all.count >= 19)
        for command in all {
            #expect(command is any ContextualCommand.Type, "\(command)")
        }
    }
}
