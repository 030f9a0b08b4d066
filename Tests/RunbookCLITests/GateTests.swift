import Foundation
import RunbookTestPeers
import Testing

/// Gates answered from another process, denied, expired, and restricted to approvers, with no TTY.
struct GateTests {
    let body = """
        steps:
          - id: restart
            run: echo restarted
            confirm: { message: "Restart?", timeout: 30s }
        """

    func waitForGate(_ workspace: TemporaryWorkspace) throws -> String {
        var id: String?
        _ = workspace.waitFor {
            id = try? workspace.latestRun()
            guard let id else { return false }
            return (try? workspace.run(["status", id]).stdout.contains("waiting at gate")) ?? false
        }
        return try #require(id)
    }

    @Test("a gate approved by runbook approve from a second process lets the run finish; a later answer loses",
          .enabled(if: TestAccounts.canSwitch))
    func approvedElsewhere() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("gate", body)
        let run = try workspace.start(["exec", "gate"])
        let id = try waitForGate(workspace)
        #expect(run.stdout.contains("runbook approve \(id) restart"))
        let approve = try workspace.run(["approve", id, "--comment", "checked the dashboards"], user: "bob")
        #expect(approve.status == 0, "\(approve.stderr)")
        let result = run.wait()
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("restarted"))
        #expect(result.stdout.contains("approved restart by \(TestAccounts.account("bob"))"))
        let late = try workspace.run(["deny", id, "restart"], user: "carol")
        #expect(late.status == 6)
        #expect(late.stderr.contains("was already approved by \(TestAccounts.account("bob")) at "), "\(late.stderr)")
    }

    @Test("a denied gate skips the step and the run exits 3", .enabled(if: TestAccounts.canSwitch))
    func denied() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("gate", body)
        let run = try workspace.start(["exec", "gate"])
        let id = try waitForGate(workspace)
        #expect(try workspace.run(["deny", id, "restart", "--reason", "not yet"], user: "bob").status == 0)
        let result = run.wait()
        #expect(result.status == 3)
        #expect(result.stdout.contains("denied restart by \(TestAccounts.account("bob"))"))
        #expect(!result.stdout.contains("| restart restarted"))
    }

    @Test("an unanswered gate expires with its default")
    func expired() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("gate", """
            steps:
              - id: restart
                run: echo restarted
                confirm: { message: "Restart?", timeout: 2s }
            """)
        let result = try workspace.run(["exec", "gate"])
        #expect(result.status == 3)
        #expect(try workspace.events().contains { $0["type"] as? String == "gate.expired" })
    }

    @Test("min_approvals: 2 refuses the starter and a repeated approver; approvers: refuses an outsider",
          .enabled(if: TestAccounts.canSwitch))
    func approvalRules() throws {
        let workspace = try TemporaryWorkspace()
        let approvers = ["bob", "carol", "alice"].map(TestAccounts.account).joined(separator: ", ")
        try workspace.runbook("two", """
            steps:
              - id: restart
                run: echo restarted
                confirm: { message: "Restart?", min_approvals: 2, approvers: [\(approvers)], timeout: 30s }
            """)
        let run = try workspace.start(["exec", "two"], user: "alice")
        let id = try waitForGate(workspace)
        let starter = try workspace.run(["approve", id], user: "alice")
        #expect(starter.status == 2)
        #expect(starter.stderr.contains("who started the run"))
        let outsider = try workspace.run(["approve", id], user: "mallory")
        #expect(outsider.status == 2)
        #expect(outsider.stderr.contains("not an approver"))
        #expect(try workspace.run(["approve", id], user: "bob").status == 0)
        let again = try workspace.run(["approve", id], user: "bob")
        #expect(again.status == 2)
        #expect(again.stderr.contains("already approved"))
        #expect(try workspace.run(["status", id]).stdout.contains("waiting at gate"))
        #expect(try workspace.run(["approve", id], user: "carol").status == 0)
        #expect(run.wait().status == 0)
    }

    @Test("--yes approves and records who said so: the OS account, with $RUNBOOK_USER beside it",
          .enabled(if: TestAccounts.canSwitch))
    func yesFlag() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("gate", body)
        let result = try workspace.run(["exec", "gate", "--yes"], user: "dana")
        #expect(result.status == 0)
        let approval = try #require(try workspace.events().first { $0["type"] as? String == "gate.approved" })
        #expect((approval["actor"] as? [String: Any])?["id"] as? String == TestAccounts.account("dana"))
        #expect((approval["data"] as? [String: Any])?["via"] as? String == "--yes")
        #expect((approval["data"] as? [String: Any])?["display_name"] as? String == "dana")
    }
}
