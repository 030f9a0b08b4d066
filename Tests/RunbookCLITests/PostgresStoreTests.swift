import Foundation
import RunbookTestPeers
import Testing

/// The built `runbook` on a PostgreSQL 15 store: `store init` with a writer role, runs from several processes on one
/// chain, a gate answered from another process, `store copy` both ways with identical heads, and an unreachable
/// server reported without its password.
@Suite("PostgreSQL store commands", .timeLimit(.minutes(5)))
struct PostgresStoreTests {
    /// A server with an owner role and a writer role, and a database `runbook` the owner owns.
    func makePeer() async throws -> PostgresPeer {
        let peer = try await PostgresPeer.start(maxConnections: 40)
        try await peer.createRole("rb_owner", password: "owner-pw")
        try await peer.createRole("rb_writer", password: "writer-pw")
        try await peer.sql("CREATE DATABASE runbook OWNER rb_owner")
        return peer
    }

    /// The writer's connection string.
    func writerStore(_ peer: PostgresPeer) -> String {
        peer.conninfo(user: "rb_writer", password: "writer-pw", database: "runbook")
    }

    @Test("store init as the owner, then runs from three processes as the writer share one chain that verifies")
    func initAndConcurrentRuns() async throws {
        let peer = try await makePeer()
        defer { peer.stop() }
        let workspace = try TemporaryWorkspace(config: "store: \"\(writerStore(peer))\"\n")
        try workspace.runbook("steps", """
            steps:
              - { id: a, run: "true", mutating: false }
              - { id: b, run: "true", mutating: false, needs: [a] }
              - { id: c, run: "true", mutating: false, needs: [b] }
            """)
        let refused = try workspace.run(["runs"])
        #expect(refused.status == 5)
        #expect(refused.stderr.contains("runbook store init"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("writer-pw"))

        let owner = peer.conninfo(user: "rb_owner", password: "owner-pw", database: "runbook")
        let initialized = try workspace.run(["store", "init", "--store", owner, "--writer", "rb_writer"])
        #expect(initialized.status == 0, "\(initialized.stderr)")
        #expect(initialized.stdout.contains("created the store"), "\(initialized.stdout)")
        #expect(!initialized.stdout.contains("owner-pw"))
        let again = try workspace.run(["store", "init", "--store", owner])
        #expect(again.stdout.contains("already exists"), "\(again.stdout)")
        let current = try workspace.run(["store", "migrate", "--store", owner])
        #expect(current.status == 0, "\(current.stderr)")
        #expect(current.stdout.contains("already at schema version 2"), "\(current.stdout)")
        let sqlite = try workspace.run(["store", "migrate", "--store", "sqlite:other.db"])
        #expect(sqlite.stdout.contains("needs no migration"), "\(sqlite.stdout)")
        let unreachable = try workspace.run(
            ["store", "migrate", "--store", "host=127.0.0.1 port=1 user=o password=hunter2-secret connect_timeout=2"])
        #expect(unreachable.status == 5)
        #expect(unreachable.stderr.contains("127.0.0.1:1") && !unreachable.stderr.contains("hunter2-secret"),
                "\(unreachable.stderr)")

        let runs = try (0..<3).map { _ in try workspace.start(["exec", "steps"]) }
        for run in runs {
            let result = run.wait(seconds: 120)
            #expect(result.status == 0, "\(result.stdout)")
        }
        let verified = try workspace.run(["audit", "verify"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("ok: "), "\(verified.stdout)")
        let events = try workspace.events()
        #expect(events.map { $0["seq"] as? Int } == Array(1...events.count).map { $0 })
        #expect(events.filter { $0["type"] as? String == "run.finished" }.count == 3)
        #expect(try workspace.run(["runs"]).stdout.components(separatedBy: "steps").count - 1 == 3)
    }

    @Test("a gate answered by runbook approve from another process wakes the waiting run",
          .enabled(if: TestAccounts.canSwitch))
    func gateAcrossProcesses() async throws {
        let peer = try await makePeer()
        defer { peer.stop() }
        let workspace = try TemporaryWorkspace(config: "store: \"\(writerStore(peer))\"\n")
        let owner = peer.conninfo(user: "rb_owner", password: "owner-pw", database: "runbook")
        #expect(try workspace.run(["store", "init", "--store", owner, "--writer", "rb_writer"]).status == 0)
        try workspace.runbook("gate", """
            steps:
              - id: restart
                run: echo restarted
                confirm: { message: "Restart?", timeout: 60s }
            """)
        let run = try workspace.start(["exec", "gate"])
        let runID = try GateTests().waitForGate(workspace)
        let approve = try workspace.run(["approve", runID, "--comment", "looks fine"], user: "bob")
        #expect(approve.status == 0, "\(approve.stderr)")
        let answered = ContinuousClock.now
        let result = run.wait(seconds: 60)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("restarted"))
        #expect(ContinuousClock.now - answered < .seconds(20))
    }

    @Test("store copy PostgreSQL -> SQLite -> PostgreSQL keeps seq, hashes and head; a non-empty target is refused")
    func copyBothWays() async throws {
        let peer = try await makePeer()
        defer { peer.stop() }
        try await peer.sql("CREATE DATABASE second OWNER rb_owner")
        let workspace = try TemporaryWorkspace(config: "store: \"\(writerStore(peer))\"\n")
        let owner = peer.conninfo(user: "rb_owner", password: "owner-pw", database: "runbook")
        let secondOwner = peer.conninfo(user: "rb_owner", password: "owner-pw", database: "second")
        #expect(try workspace.run(["store", "init", "--store", owner, "--writer", "rb_writer"]).status == 0)
        #expect(try workspace.run(["store", "init", "--store", secondOwner]).status == 0)
        try workspace.runbook("one", "steps:\n  - { id: a, run: echo one, mutating: false }\n")
        for _ in 0..<2 { #expect(try workspace.run(["exec", "one"]).status == 0) }
        let head = try workspace.run(["audit", "head"]).stdout

        let toSQLite = try workspace.run(["store", "copy", writerStore(peer), "sqlite:copy.db"])
        #expect(toSQLite.status == 0, "\(toSQLite.stderr)")
        #expect(toSQLite.stdout.contains("both verify"), "\(toSQLite.stdout)")
        #expect(try workspace.run(["audit", "head", "--store", "sqlite:copy.db"]).stdout == head)
        let export = try workspace.run(["audit", "export"]).stdout
        #expect(try workspace.run(["audit", "export", "--store", "sqlite:copy.db"]).stdout == export)

        let back = try workspace.run(["store", "copy", "sqlite:copy.db", secondOwner])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try workspace.run(["audit", "head", "--store", secondOwner]).stdout == head)

        let refused = try workspace.run(["store", "copy", "sqlite:copy.db", writerStore(peer)])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is not empty"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("writer-pw"))
    }

    @Test("an unreachable server: exit 5 naming host and port, never the password")
    func unreachable() throws {
        let port = try LoopbackPort.free()
        let workspace = try TemporaryWorkspace()
        let result = try workspace.run(
            ["runs", "--store", "host=127.0.0.1 port=\(port) user=ops password=hunter2-secret connect_timeout=2"])
        #expect(result.status == 5)
        #expect(result.stderr.contains("127.0.0.1:\(port)"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2-secret"))
    }
}
