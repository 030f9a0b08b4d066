import Foundation
import RunbookLanguage
import RunbookTestPeers
import Testing

@testable import RunbookStore

@Suite("verify() finds the first record that does not match")
struct VerificationTests {
    /// Writes five events (seq 3 has step `alpha`), closes the store, lets `tamper` change the file, reopens it
    /// and verifies.
    private func verifyAfter(
        _ tamper: (_ path: String, _ events: [AuditEvent]) throws -> Void
    ) async throws -> (VerificationReport, [AuditEvent]) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        let store = try SQLiteEventStore(path: path)
        var events: [AuditEvent] = []
        for index in 1...5 {
            events += try await store.append([draft("r-1", step: index == 3 ? "alpha" : "s\(index)")])
        }
        await store.close()
        try tamper(path, events)
        let reopened = try SQLiteEventStore(path: path)
        let report = try await reopened.verify()
        await reopened.close()
        return (report, events)
    }

    @Test("a byte changed inside a stored line is a hash mismatch at that seq")
    func flippedByte() async throws {
        let (report, events) = try await verifyAfter { path, _ in
            try RawDatabase(path: path).checkpointAndClose()
            try patchFile(path, replacing: #""step":"alpha""#, with: #""step":"alphb""#)
        }
        #expect(report.firstBad == 3)
        #expect(report.problem == "hash mismatch")
        #expect(report.checked == 3)
        #expect(report.head == AuditHead(seq: 2, hash: events[1].hash))
    }

    @Test("a deleted row is reported as a missing seq at the record after it")
    func deletedRow() async throws {
        let (report, events) = try await verifyAfter { path, _ in
            let raw = try RawDatabase(path: path)
            #expect(raw.execute("DROP TRIGGER events_are_never_deleted; DELETE FROM events WHERE seq = 3") == nil)
            raw.checkpointAndClose()
        }
        #expect(report.firstBad == 4)
        #expect(report.problem == "missing seq 3")
        #expect(report.head == AuditHead(seq: 2, hash: events[1].hash))
    }

    @Test("deleting the newest records leaves a shorter intact chain, whose head no longer matches")
    func truncatedTail() async throws {
        let (report, events) = try await verifyAfter { path, _ in
            let raw = try RawDatabase(path: path)
            #expect(raw.execute("DROP TRIGGER events_are_never_deleted; DELETE FROM events WHERE seq >= 4") == nil)
            raw.checkpointAndClose()
        }
        #expect(report.isIntact && report.checked == 3)
        #expect(report.head == AuditHead(seq: 3, hash: events[2].hash))
        #expect(report.head != AuditHead(seq: 5, hash: events[4].hash))
    }

    @Test("a record rewritten with a freshly computed hash breaks the next record's prev")
    func rewrittenRecord() async throws {
        let (report, _) = try await verifyAfter { path, events in
            let forged = AuditLine(
                seq: 2, timestamp: events[1].timestamp, draft: draft("r-1", step: "s2", data: ["forged": true]),
                prev: events[1].prev)
            let raw = try RawDatabase(path: path)
            let sql =
                "DROP TRIGGER events_are_never_updated; UPDATE events SET line = '\(forged.text)', "
                + "hash = '\(forged.hash)' WHERE seq = 2"
            #expect(raw.execute(sql) == nil)
            raw.checkpointAndClose()
        }
        #expect(report.firstBad == 3)
        #expect(report.problem == "prev does not match seq 2")
    }

    @Test(
        "an indexed column that disagrees with the line is reported",
        arguments: [
            ("run = 'r-2'", "the run column does not match the record"),
            ("type = 'gate.approved'", "the type column does not match the record"),
            ("step = 'other'", "the step column does not match the record"),
            ("incident = 'inc-9'", "the incident column does not match the record"),
            ("ts = '2026-01-01T00:00:00.000000Z'", "the ts column does not match the record"),
            ("hash = '\(String(repeating: "f", count: 64))'", "the hash column does not match the record"),
        ])
    func columnMismatch(assignment: String, problem: String) async throws {
        let (report, _) = try await verifyAfter { path, _ in
            let raw = try RawDatabase(path: path)
            #expect(
                raw.execute("DROP TRIGGER events_are_never_updated; UPDATE events SET \(assignment) WHERE seq = 4")
                    == nil)
            raw.checkpointAndClose()
        }
        #expect(report.firstBad == 4)
        #expect(report.problem == problem)
    }

    @Test("a line cut short is reported as malformed, not a crash")
    func truncatedLine() async throws {
        let (report, _) = try await verifyAfter { path, _ in
            let raw = try RawDatabase(path: path)
            let sql =
                "DROP TRIGGER events_are_never_updated; UPDATE events SET line = substr(line, 1, 40) WHERE seq = 2"
            #expect(raw.execute(sql) == nil)
            raw.checkpointAndClose()
        }
        #expect(report.firstBad == 2)
        #expect(report.problem?.hasPrefix("malformed record") == true)
    }

    @Test("garbage written over the table's page is reported at the first record it hides, never a crash")
    func damagedPage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        let store = try SQLiteEventStore(path: path)
        for index in 1...40 { _ = try await store.append([draft("r-1", step: "s\(index)")]) }
        await store.close()
        try RawDatabase(path: path).checkpointAndClose()

        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let found = try #require(bytes.firstRange(of: Data(#""step":"s20""#.utf8)))
        let start = found.lowerBound - 300
        bytes.replaceSubrange(start..<(start + 600), with: Data((0..<600).map { UInt8(truncatingIfNeeded: $0 &* 37) }))
        try bytes.write(to: URL(fileURLWithPath: path))

        let reopened = try SQLiteEventStore(path: path)
        let report = try await reopened.verify()
        await reopened.close()
        let firstBad = try #require(report.firstBad)
        #expect(firstBad <= 20)
        #expect(report.head?.seq == firstBad - 1)
    }

    @Test("a file that is not a store fails to open with the corrupt code; a folder that cannot exist, unavailable")
    func errorCodes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        try Data(repeating: 0x41, count: 8_192).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { _ = try SQLiteEventStore(path: path) }
        do {
            _ = try SQLiteEventStore(path: path)
        } catch {
            #expect(error.code == .corrupt, "\(error.message)")
        }
        do {
            _ = try SQLiteEventStore(path: directory.file("state.db/inside/state.db"))
            Issue.record("a store opened inside a folder that cannot exist")
        } catch {
            #expect(error.code == .unavailable, "\(error.message)")
        }
    }

    @Test("a large log verifies intact across several pages")
    func manyPages() async throws {
        try await withStore { store, _ async throws in
            let batch = (0..<1_000).map { draft("r-\($0 % 7)", data: ["n": .number(Double($0))]) }
            for _ in 0..<20 { _ = try await store.append(batch) }
            let report = try await store.verify()
            #expect(report.isIntact && report.checked == 20_000 && report.head?.seq == 20_000)
        }
    }
}
