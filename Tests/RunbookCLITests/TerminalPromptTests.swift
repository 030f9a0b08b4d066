import Foundation
import Testing

/// The gate prompt on a real terminal: `script` (util-linux) gives `runbook` a pseudo-terminal and types the answer.
struct TerminalPromptTests {
    func answer(_ typed: String, in workspace: TemporaryWorkspace) throws -> RunbookBinary.Outcome {
        let command = "cd '\(workspace.root.path)' && NO_COLOR=1 RUNBOOK_USER=erin '\(RunbookBinary.path)' exec prompted"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qfec", command, "/dev/null"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        input.fileHandleForWriting.write(Data(typed.utf8))
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RunbookBinary.Outcome(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self),
                                     stderr: "")
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
        #expect(approved.stdout.contains("approved restart by erin (terminal)"))
        let denied = try answer("nope\n", in: workspace)
        #expect(denied.status == 3, "\(denied.stdout)")
        #expect(denied.stdout.contains("denied restart by erin (terminal)"))
    }
}
