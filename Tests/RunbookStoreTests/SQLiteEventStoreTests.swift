import Foundation
import RunbookLanguage
import RunbookTestPeers
import Testing

@testable import RunbookStore

@Suite("SQLite event store")
struct SQLiteEventStoreTests {
    @Test("appended events read back exactly, unicode and escapes included")
    func roundTrip() async throws {
        try await withStore { store, _ async throws in
            let data: Value = [
                "comment": "OOM confirmed — restart «api» 🚀",
                "quote": "say \"hi\" \\ back\nslash\ttab\u{01}\u{1F}",
                "combining": "e\u{301}",
                "numbers": [0, 1, -3, 1.5, 1e300, 9_007_199_254_740_992, 0.1],
                "flags": [true, false, .null],
                "nested": ["b": ["z": 1, "a": [:]], "a": []],
            ]
            let stored = try await store.append([
                EventDraft(
                    run: "r-ü-1", incident: "inc-ß", type: "step.finished", step: "schritt-1", actor: .user("zoë"),
                    data: data),
                EventDraft(run: "r-ü-1", type: "note.added"),
            ])
            #expect(stored.map(\.seq) == [1, 2])
            #expect(stored[0].data == data)
            #expect(stored[1].actor == nil && stored[1].incident == nil && stored[1].step == nil)
            let read = try await store.events(run: "r-ü-1")
            #expect(read == stored)
        }
    }

    @Test("each record chains to the previous one's hash, starting from 64 zeros")
    func chain() async throws {
        try await withStore { store, _ async throws in
            var all: [AuditEvent] = []
            for index in 0..<5 {
                all += try await store.append([draft("r-1", data: ["index": .number(Double(index))])])
            }
            #expect(all.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(all[0].prev == String(repeating: "0", count: 64))
            for (previous, next) in zip(all, all.dropFirst()) {
                #expect(next.prev == previous.hash)
            }
            #expect(Set(all.map(\.hash)).count == 5)
            #expect(try await store.head() == AuditHead(seq: 5, hash: all[4].hash))
            let report = try await store.verify()
            #expect(report == VerificationReport(checked: 5, head: AuditHead(seq: 5, hash: all[4].hash)))
        }
    }

    @Test("the stored line is the canonical JSON plus its hash, and the hash covers prev and that JSON")
    func lineLayout() async throws {
        try await withStore { store, _ async throws in
            let stored = try await store.append([draft("r-1", step: "alpha", data: ["b": 2, "a": "x"])])
            let event = try #require(stored.first)
            let expected =
                #"{"seq":1,"ts":""# + event.timestamp
                + #"","run":"r-1","incident":null,"type":"note.added","step":"alpha","#
                + #""actor":{"kind":"user","id":"alice"},"data":{"a":"x","b":2},"#
                + #""prev":""# + event.prev + #"","hash":""# + event.hash + #""}"#
            #expect(event.line == expected)
            #expect(Array(event.line.utf8).withUnsafeBufferPointer { ChainVerifier.hashMatches(line: $0) })
        }
    }

    @Test("events(run:), events(incident:) and events(after:limit:) select the right events in order")
    func queries() async throws {
        try await withStore { store, _ async throws in
            _ = try await store.append([draft("r-1", "run.started", incident: "inc-1")])
            _ = try await store.append([draft("r-2", "run.started")])
            _ = try await store.append([draft("r-1", "step.started", step: "a", incident: "inc-1")])
            _ = try await store.append([draft("r-3", "run.started", incident: "inc-1")])
            _ = try await store.append([draft("r-2", "step.started", step: "b")])
            _ = try await store.append([draft("r-3", "note.added")])

            #expect(try await store.events(run: "r-1").map(\.seq) == [1, 3])
            #expect(try await store.events(run: "r-2").map(\.seq) == [2, 5])
            #expect(try await store.events(run: "nope").isEmpty)
            #expect(try await store.events(incident: "inc-1").map(\.seq) == [1, 3, 4, 6])
            #expect(try await store.events(incident: "inc-2").isEmpty)
            #expect(try await store.events(after: 2, limit: 3).map(\.seq) == [3, 4, 5])
            #expect(try await store.events(after: 5, limit: 10).map(\.seq) == [6])
            #expect(try await store.events(after: 0, limit: 0).isEmpty)
        }
    }

    @Test("recentRuns lists runs by their run.started event, newest first")
    func recentRuns() async throws {
        try await withStore { store, _ async throws in
            #expect(try await store.recentRuns(limit: 5).isEmpty)
            for run in ["r-a", "r-b", "r-c", "r-d"] {
                _ = try await store.append([draft(run, "run.started"), draft(run, "step.started", step: "s")])
            }
            _ = try await store.append([draft("r-b", "run.finished"), draft("r-x", "note.added")])
            #expect(try await store.recentRuns(limit: 3) == ["r-d", "r-c", "r-b"])
            #expect(try await store.recentRuns(limit: 10) == ["r-d", "r-c", "r-b", "r-a"])
            #expect(try await store.recentRuns(limit: 0).isEmpty)
        }
    }

    @Test("an empty log has no head and verifies intact")
    func emptyLog() async throws {
        try await withStore { store, _ async throws in
            #expect(try await store.head() == nil)
            #expect(try await store.verify() == VerificationReport(checked: 0))
            #expect(try await store.append([]).isEmpty)
        }
    }

    @Test("events survive closing and reopening the store, and the chain continues")
    func durableAcrossReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("nested/dir/state.db")
        let first = try SQLiteEventStore(path: path)
        let written = try await first.append([draft("r-1", "run.started"), draft("r-1", "step.started", step: "a")])
        await first.close()
        // Closing leaves the write-ahead log for the next process instead of copying it into the database.
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))

        let second = try SQLiteEventStore(path: path)
        #expect(try await second.events(run: "r-1") == written)
        let next = try await second.append([draft("r-1", "run.finished")])
        #expect(next[0].seq == 3 && next[0].prev == written[1].hash)
        #expect(next[0].timestamp >= written[1].timestamp)
        #expect(try await second.verify().isIntact)
        await second.close()
        await #expect(throws: StoreError.self) { try await second.head() }
        await #expect(throws: StoreError.self) { try await second.append([draft("r-1", "run.finished")]) }
    }

    @Test("timestamps are RFC 3339 UTC with microseconds and never go backwards")
    func timestamps() async throws {
        try await withStore { store, _ async throws in
            var events: [AuditEvent] = []
            for _ in 0..<20 { events += try await store.append([draft("r-1"), draft("r-1")]) }
            let pattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/
            for event in events { #expect(event.timestamp.wholeMatch(of: pattern) != nil) }
            #expect(events.map(\.timestamp) == events.map(\.timestamp).sorted())
        }
    }

    @Test("NaN and infinities are stored as null, and append returns them that way")
    func nonFiniteNumbers() async throws {
        try await withStore { store, _ async throws in
            let stored = try await store.append([draft("r-1", data: ["a": .number(.nan), "b": [.number(.infinity)]])])
            #expect(stored[0].data == ["a": .null, "b": [.null]])
            #expect(try await store.events(run: "r-1") == stored)
        }
    }

    @Test("a file that is not a database gives an error naming the store")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        try Data(repeating: 0x41, count: 8_192).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try SQLiteEventStore(path: path) }
        #expect(error?.message.hasPrefix("cannot open the store sqlite:\(path): file is not a database") == true)
    }

    @Test("a path whose directory cannot be created gives an error naming the store")
    func unopenable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Data().write(to: URL(fileURLWithPath: directory.file("file")))
        let path = directory.file("file/state.db")
        let error = #expect(throws: StoreError.self) { try SQLiteEventStore(path: path) }
        #expect(error?.message.hasPrefix("cannot open the store sqlite:\(path): ") == true)
    }
}
