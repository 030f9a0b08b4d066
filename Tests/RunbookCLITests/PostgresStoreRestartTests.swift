import Foundation
import RunbookTestPeers
import Testing

/// A run on a PostgreSQL store whose server restarts mid-step: its appends wait and retry, nothing runs twice, and the
/// chain verifies.
@Suite("PostgreSQL store across a server restart", .timeLimit(.minutes(5)))
struct PostgresStoreRestartTests {
    @Test("the server stopped and started again during a step: the run finishes, verifies, and each step ran once")
    func restartDuringStep() async throws {
        let peer = try await PostgresStoreTests().makePeer()
        defer { peer.stop() }
        let store = PostgresStoreTests().writerStore(peer)
        let workspace = try TemporaryWorkspace(config: "store: \"\(store)\"\n")
        let owner = peer.conninfo(user: "rb_owner", password: "owner-pw", database: "runbook")
        #expect(try workspace.run(["store", "init", "--store", owner, "--writer", "rb_writer"]).status == 0)
        let ran = workspace.path("ran.txt")
        let marker = workspace.path("b-started")
        try workspace.runbook("restart", """
            steps:
              - { id: a, run: "echo a >> \(ran)", mutating: false }
              - { id: b, run: "echo b >> \(ran); touch \(marker); sleep 2", mutating: false, needs: [a] }
              - { id: c, run: "echo c >> \(ran)", mutating: false, needs: [b] }
            """)
        let run = try workspace.start(["exec", "restart"])
        #expect(workspace.waitFor(seconds: 60) { FileManager.default.fileExists(atPath: marker) })
        try await peer.restart(downFor: .seconds(3))

        let result = run.wait(seconds: 120)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("retrying the append"), "\(result.stderr)")
        #expect(!result.stderr.contains("writer-pw"))
        #expect(try String(contentsOfFile: ran, encoding: .utf8) == "a\nb\nc\n")
        let verified = try workspace.run(["audit", "verify"])
        #expect(verified.status == 0, "\(verified.stderr)")
        let events = try workspace.events()
        #expect(events.map { $0["seq"] as? Int } == Array(1...events.count).map { $0 })
        for step in ["a", "b", "c"] {
            let started = events.filter { $0["type"] as? String == "step.started" && $0["step"] as? String == step }
            #expect(started.count == 1, "step \(step): \(started.count) step.started")
        }
        #expect(events.filter { $0["type"] as? String == "run.finished" }.count == 1)
    }
}
