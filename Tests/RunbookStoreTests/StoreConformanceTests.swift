import Foundation
import RunbookLanguage
import RunbookTestPeers
import Testing

@testable import RunbookStore

/// The backends the conformance suite runs against; a new store adds a case here and passes the same tests.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, memory, postgres

    var testDescription: String { rawValue }

    /// Runs `body` with an empty store of this kind, then closes and removes it.
    func withStore(_ body: (any EventStore) async throws -> Void) async throws {
        switch self {
        case .memory:
            try await body(InMemoryEventStore())
        case .sqlite:
            try await RunbookStoreTests.withStore { store, _ in try await body(store) }
        case .postgres:
            try await withPostgresStore { store, _ in try await body(store) }
        }
    }
}

/// What every event store must do, whatever keeps the events: the engine, the server and the reports rely on it.
@Suite("Store conformance")
struct StoreConformanceTests {
    @Test("appends come back in order, chained, contiguous per call, and verify", arguments: StoreBackend.allCases)
    func appendAndRead(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.head() == nil)
            let first = try await store.append([draft("r1", "run.started"), draft("r1", "step.started", step: "a")])
            #expect(first.map(\.seq) == [1, 2])
            #expect(first[1].prev == first[0].hash)
            _ = try await store.append([draft("r2", "run.started", incident: "inc-1")])
            _ = try await store.append([draft("r1", "step.finished", step: "a", data: ["outcome": "success"])])
            #expect(try await store.events(run: "r1").map(\.type) == ["run.started", "step.started", "step.finished"])
            #expect(try await store.events(run: "r1", after: 2, types: nil).map(\.seq) == [4])
            #expect(try await store.events(run: "r1", after: 0, types: ["step.started"]).map(\.seq) == [2])
            #expect(try await store.events(run: "r1", after: 0, types: []).isEmpty)
            #expect(try await store.events(incident: "inc-1").map(\.run) == ["r2"])
            #expect(try await store.events(after: 1, limit: 2).map(\.seq) == [2, 3])
            #expect(try await store.recentRuns(limit: 5) == ["r2", "r1"])
            #expect(try await store.head()?.seq == 4)
            let report = try await store.verify()
            #expect(report.problem == nil)
            #expect(report.checked == 4)
            let read = try await store.events(run: "r1")[2]
            #expect(read.data.member("outcome") == "success")
            #expect(read.line.hasSuffix("\"hash\":\"\(read.hash)\"}"))
        }
    }

    @Test("the same drafts make the same canonical lines in every store", arguments: StoreBackend.allCases)
    func canonicalLines(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let stored = try await store.append([draft("r1", "note.added", data: ["text": "é \"quoted\"", "n": 1.5])])
            let line = stored[0].line
            #expect(line.hasPrefix(#"{"seq":1,"ts":""#))
            #expect(line.contains(#","run":"r1","incident":null,"type":"note.added","step":null,"#
                + #""actor":{"kind":"user","id":"alice"},"data":{"n":1.5,"text":"é \"quoted\""},"prev":""#))
        }
    }

    @Test("a conditional append is refused once an event it names follows its seq", arguments: StoreBackend.allCases)
    func conditionalAppend(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let requested = try await store.append([draft("r1", "gate.requested", step: "act")])[0]
            let condition = AppendCondition(run: "r1", noneAfter: requested.seq, of: ["gate.approved", "gate.denied"])
            _ = try await store.append([draft("r2", "gate.approved")])
            #expect(try await store.append([draft("r1", "gate.approved", step: "act")], if: condition) != nil)
            #expect(try await store.append([draft("r1", "gate.denied", step: "act")], if: condition) == nil)
            let racing = try await withThrowingTaskGroup(of: Bool.self) { group in
                let next = AppendCondition(run: "r1", noneAfter: 3, of: ["note.added"])
                for _ in 0..<8 {
                    group.addTask { try await store.append([draft("r1", "note.added")], if: next) != nil }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(racing == 1)
            #expect(try await store.verify().problem == nil)
        }
    }

    @Test("waitForEvents wakes when an event is appended, and gives up at its timeout", arguments: StoreBackend.allCases)
    func waitForEvents(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.waitForEvents(after: 0, timeout: .milliseconds(50)) == false)
            _ = try await store.append([draft("r1", "run.started")])
            #expect(try await store.waitForEvents(after: 0, timeout: .seconds(1)) == true)
            async let woken = store.waitForEvents(after: 1, timeout: .seconds(30))
            try await Task.sleep(for: .milliseconds(100))
            let started = ContinuousClock.now
            _ = try await store.append([draft("r1", "note.added")])
            #expect(try await woken == true)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}
