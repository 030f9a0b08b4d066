import Foundation
import RunbookTestPeers
import Testing

/// After Ctrl-C or `runbook cancel`, the steps whose `if:` is `always()` or `cancelled()` still run (GitHub Actions'
/// rule), to their end: a clean-up that puts a drained node back, or a message to the channel.
@Suite("Clean-up steps after a cancel")
struct CleanUpStepTests {
    private func workspace() throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("drain-node", """
            steps:
              - id: drain
                run: echo draining; sleep 30
                mutating: false
              - id: verify
                needs: [drain]
                run: echo verified >> marker
                mutating: false
              - id: undrain
                needs: [verify]
                if: always()
                run: sleep 0.3; echo undrained >> marker
                mutating: false
            """)
        return workspace
    }

    private func cancelled(by cancel: (TemporaryWorkspace, BackgroundRun) throws -> Void) throws {
        let workspace = try workspace()
        let exec = try workspace.start(["exec", "drain-node"])
        #expect(try workspace.waitFor { exec.stdout.contains("draining") })
        try cancel(workspace, exec)
        let result = exec.wait(seconds: 30)
        #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
        // The clean-up ran to its end though it sleeps after the cancel; the step that needs success did not run.
        #expect((try? String(contentsOfFile: workspace.path("marker"), encoding: .utf8)) == "undrained\n")
        #expect(result.stdout.contains("✓ undrain"), "\(result.stdout)")
        #expect(result.stdout.contains("○ verify skipped"), "\(result.stdout)")
    }

    @Test("Ctrl-C: the always() step runs")
    func interrupt() throws {
        try cancelled { _, exec in exec.signal(SIGINT) }
    }

    @Test("runbook cancel from another terminal: the always() step runs")
    func cancelCommand() throws {
        try cancelled { workspace, _ in
            let run = try #require(try workspace.latestRun())
            let cancel = try workspace.run(["cancel", run])
            #expect(cancel.status == 0, "\(cancel.stderr)")
        }
    }
}
