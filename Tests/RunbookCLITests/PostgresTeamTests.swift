import Foundation
import RunbookTestPeers
import Testing

/// A team on one PostgreSQL store, each person connecting as their own role: two `exec` runs by alice and a run
/// `serve` started from an alert, all parked at gates only bob may answer, answered by bob from a third process.
/// Who did what is the role PostgreSQL authenticated, which no variable changes.
@Suite("PostgreSQL team store", .timeLimit(.minutes(5)))
struct PostgresTeamTests {
    /// A runbook whose restart only bob's role may approve.
    static let gated = """
        steps:
          - { id: look, run: "echo looking", mutating: false }
          - id: restart
            run: echo restarted
            needs: [look]
            confirm: { message: "Restart?", approvers: [rb_bob], timeout: 120s }
        """

    @Test("two exec runs and a serve run share one store; bob's role answers every gate; roles are the actors")
    func team() async throws {
        let peer = try await PostgresPeer.start(maxConnections: 60)
        defer { peer.stop() }
        try await peer.createRole("rb_owner", password: "owner-pw")
        try await peer.sql("CREATE ROLE rb_writers NOLOGIN")
        for person in ["alice", "bob", "serve"] {
            try await peer.createRole("rb_\(person)", password: "\(person)-pw", grants: ["rb_writers"])
        }
        try await peer.sql("CREATE DATABASE runbook OWNER rb_owner")
        func store(_ person: String) -> String {
            peer.conninfo(user: "rb_\(person)", password: "\(person)-pw", database: "runbook")
        }
        let initialized = try TemporaryWorkspace().run(
            ["store", "init", "--store", peer.conninfo(user: "rb_owner", password: "owner-pw", database: "runbook"),
             "--writer", "rb_writers"])
        #expect(initialized.status == 0, "\(initialized.stderr)")
        let server = try ServeInstance(store: store("serve"), runbooks: [
            "diagnose": """
                triggers:
                  - { source: alertmanager, match_re: { alertname: ".+" } }
                """ + "\n" + Self.gated,
        ])
        defer { server.stop() }
        let workspace = server.workspace
        let asAlice = ["RUNBOOK_STORE": store("alice")]
        let asBob = ["RUNBOOK_STORE": store("bob")]

        let execs = try (0..<2).map { _ in try workspace.start(["exec", "diagnose"], environment: asAlice) }
        let hook = try server.hook("alertmanager", ServeInstance.alertmanager(["alertname": "HighLatency"]))
        #expect(hook.status == 200, "\(hook.body)")
        #expect(try workspace.waitFor(seconds: 60) {
            try workspace.run(["gates", "--output", "json"], environment: asBob).stdout
                .components(separatedBy: "\"restart\"").count - 1 == 3
        })
        let mine = try workspace.run(["gates", "--mine"], environment: asBob)
        #expect(mine.stdout.components(separatedBy: "restart").count - 1 >= 3, "\(mine.stdout)")
        #expect(try workspace.run(["gates", "--mine"], environment: asAlice).stdout.contains("restart") == false)

        let waiting = try JSONSerialization.jsonObject(
            with: Data(try workspace.run(["gates", "--output", "json"], environment: asBob).stdout.utf8))
        let runs = (waiting as? [[String: Any]] ?? []).compactMap { $0["run"] as? String }
        #expect(runs.count == 3)
        // $RUNBOOK_USER is a display name: alice's role stays alice's, and is not an approver.
        let forged = try workspace.run(
            ["approve", runs[0]], environment: asAlice.merging(["RUNBOOK_USER": "rb_bob"]) { $1 })
        #expect(forged.status != 0)
        #expect(forged.stderr.contains("rb_alice cannot answer this gate"), "\(forged.stderr)")
        for run in runs {
            let approved = try workspace.run(["approve", run], environment: asBob)
            #expect(approved.status == 0, "\(approved.stderr)")
        }
        for exec in execs {
            let result = exec.wait(seconds: 60)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("restarted"))
        }
        #expect(try workspace.waitFor(seconds: 60) {
            try workspace.run(["runs", "--status", "succeeded"], environment: asBob).stdout
                .components(separatedBy: "diagnose").count - 1 == 3
        })

        let verified = try workspace.run(["audit", "verify"], environment: asBob)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let events = try JSONSerialization.jsonObject(
            with: Data(try workspace.run(["audit", "export"], environment: asBob).stdout.split(separator: "\n")
                .joined(separator: ",").utf8).prefixed("[").suffixed("]")) as? [[String: Any]] ?? []
        let actors = { (type: String) in
            events.filter { $0["type"] as? String == type }.compactMap { $0["actor"] as? [String: Any] }
        }
        let approvals = actors("gate.approved")
        #expect(approvals.count == 3)
        #expect(approvals.allSatisfy { $0["id"] as? String == "rb_bob" && $0["account"] as? String != nil })
        let starts = actors("run.started")
        #expect(starts.filter { $0["id"] as? String == "rb_alice" && $0["account"] != nil }.count == 2)
        // serve's run was started by the holder of the token that sent the alert, which is no database role.
        #expect(starts.filter { $0["id"] as? String == "alertmanager" && $0["account"] == nil }.count == 1)
        let recorded = try await peer.sql(
            "SELECT DISTINCT recorded_by FROM events ORDER BY 1", database: "runbook")
        #expect(recorded.split(separator: "\n") == ["rb_alice", "rb_bob", "rb_serve"], "\(recorded)")
    }
}

extension Data {
    fileprivate func prefixed(_ text: String) -> Data { Data(text.utf8) + self }
    fileprivate func suffixed(_ text: String) -> Data { self + Data(text.utf8) }
}
