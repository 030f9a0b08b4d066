import RunbookTestPeers
import Testing

@testable import RunbookStore

@Suite("Store locations")
struct StoreLocationTests {
    @Test(
        "SQLite forms resolve to absolute paths",
        arguments: [
            ("sqlite:/var/lib/runbook/state.db", StoreLocation.sqlite(path: "/var/lib/runbook/state.db")),
            ("sqlite:.runbook/state.db", .sqlite(path: "/srv/ops/.runbook/state.db")),
            ("sqlite:../team/./state.db", .sqlite(path: "/srv/team/state.db")),
            ("sqlite:///abs/state.db", .sqlite(path: "/abs/state.db")),
            ("  state.db ", .sqlite(path: "/srv/ops/state.db")),
            ("/tmp/x/events.sqlite3", .sqlite(path: "/tmp/x/events.sqlite3")),
        ])
    func sqlite(text: String, expected: StoreLocation) throws {
        #expect(try StoreLocation(parsing: text, relativeTo: "/srv/ops") == expected)
    }

    @Test(
        "PostgreSQL URLs and conninfo strings are kept as given",
        arguments: [
            "postgres://runbook@db.internal:5432/runbook",
            "postgresql://db/runbook?sslmode=require",
            "host=db.internal dbname=runbook user=ops",
            "dbname=runbook",
        ])
    func postgres(text: String) throws {
        #expect(try StoreLocation(parsing: text, relativeTo: "/srv") == .postgres(text))
    }

    @Test(
        "passwords never show in the description",
        arguments: [
            ("postgres://ops:s3cret@db/runbook", "postgres://ops:***@db/runbook"),
            ("host=db password=s3cret dbname=x", "host=db password=*** dbname=x"),
            ("host=db password='s 3\\'c' dbname=x", "host=db password=*** dbname=x"),
            (
                "postgresql://db/x?user=ops&password=s3cret&sslmode=require",
                "postgresql://db/x?user=ops&password=***&sslmode=require"
            ),
        ])
    func redaction(text: String, expected: String) throws {
        #expect(try StoreLocation(parsing: text, relativeTo: "/").description == expected)
    }

    @Test("anything else is refused with the accepted forms", arguments: ["", "state.txt", "sqlite:", "mysql://db/x"])
    func invalid(text: String) {
        let error = #expect(throws: StoreError.self) { try StoreLocation(parsing: text, relativeTo: "/srv") }
        #expect(error?.message.contains("sqlite:") == true)
    }

    @Test("open gives a SQLite store, and for an unreachable PostgreSQL an error naming host and port, not the password")
    func open() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreLocation.open("sqlite:sub/state.db", relativeTo: directory.path)
        #expect(try await store.head() == nil)
        #expect((store as? SQLiteEventStore)?.path == directory.file("sub/state.db"))
        await (store as? SQLiteEventStore)?.close()
        let port = try LoopbackPort.free()
        let conninfo = "host=127.0.0.1 port=\(port) user=ops password=s3cret-value connect_timeout=2"
        let error = #expect(throws: StoreError.self) { try StoreLocation.open(.postgres(conninfo)) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("cannot connect to PostgreSQL at 127.0.0.1:\(port)") == true)
        #expect(error?.message.contains("password=***") == true)
        #expect(error?.message.contains("s3cret-value") == false)
    }
}
