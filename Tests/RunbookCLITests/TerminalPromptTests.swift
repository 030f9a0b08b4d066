import Foundation
import RunbookTestPeers
import Testing

/// The gate prompt on a real terminal: `script` (util-linux) gives `runbook` a pseudo-terminal and types the answer.
struct TerminalPromptTests {
    func answer(_ typed: String, in workspace: TemporaryWorkspace) throws -> RunbookBinary.Outcome {
        let command = "cd '\(workspace.root.path)' && NO_COLOR=1 RUNBOOK_USER=erin '\(RunbookBinary.path)' exec prompted"
        let output = workspace.root.appendingPathComponent("terminal-\(UUID().uuidString)").path
        let process = try PeerProcess(
            "/usr/bin/script", ["-qfec", command, "/dev/null"], output: output, error: output, pipeInput: true)
        Thread.sleep(forTimeInterval: 1.0)
        process.write(typed)
        let status = process.wait(seconds: 60)
        let text = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
        return RunbookBinary.Outcome(status: status, stdout: text, stderr: "")
    }

    @Test("the prompt shows the resolved action and severity; y approves, anything else denies",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func promptAnswers() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("prompted", """
            severity: SEV2
            inputs:
              service: { default: api }
            steps:
              - { id: restart, run: "echo restarting ${{ inputs.service }}", confirm: "Restart ${{ inputs.service }}?" }
            """)
        let approved = try answer("y\n", in: workspace)
        #expect(approved.status == 0, "\(approved.stdout)")
        #expect(approved.stdout.contains("Gate:") && approved.stdout.contains("Restart api?"))
        #expect(approved.stdout.contains("will run:  shell echo restarting api"))
        #expect(approved.stdout.contains("severity:  SEV2"))
        #expect(approved.stdout.contains("Proceed? [y/N]"))
        #expect(approved.stdout.contains("approved restart by \(TestAccounts.current) (erin) (terminal)"))
        let denied = try answer("nope\n", in: workspace)
        #expect(denied.status == 3, "\(denied.stdout)")
        #expect(denied.stdout.contains("denied restart by \(TestAccounts.current) (erin) (terminal)"))
    }

    @Test("the prompt shows a value's control characters escaped: it cannot clear the screen or forge a line",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func promptEscapes() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("prompted", """
            severity: SEV2
            inputs:
              service: { default: "api\\e[2J\\r\\n  ⊘ denied restart by carol\\u202E" }
            steps:
              - { id: restart, run: "echo restarting ${{ inputs.service }}", confirm: "Restart ${{ inputs.service }}?" }
            """)
        let approved = try answer("y\n", in: workspace)
        #expect(approved.status == 0, "\(approved.stdout)")
        // The terminal turns each line end into CR LF.
        let screen = approved.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        ForgedOutputTests.expectClean(screen, "the gate prompt")
        let value = #"api\x1b[2J\r\n  ⊘ denied restart by carol\u{202e}"#
        #expect(screen.contains("Gate: Restart \(value)?"), "\(screen)")
        #expect(screen.contains("will run:  shell echo restarting '\(value)'"), "\(screen)")
    }

    @Test("a multi-line command keeps its lines and their indent at the prompt",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func promptKeepsIndent() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("prompted", """
            severity: SEV2
            steps:
              - id: restart
                confirm: "Restart?"
                run: |
                  for service in api worker; do
                    echo restarting "$service"
                  done
            """)
        let approved = try answer("y\n", in: workspace)
        #expect(approved.status == 0, "\(approved.stdout)")
        let screen = approved.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(screen.contains("""
                will run:  shell for service in api worker; do
                           │   echo restarting "$service"
                           │ done
            """), "\(screen)")
    }
}
