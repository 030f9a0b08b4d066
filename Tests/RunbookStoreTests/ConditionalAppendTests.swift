import RunbookLanguage
import RunbookTestPeers
import Testing

@testable import RunbookStore

@Suite("Conditional appends")
struct ConditionalAppendTests {
    static let answers = ["gate.approved", "gate.denied"]

    @Test("an append goes ahead while nothing the condition names follows its seq, and is refused after")
    func holdsThenBreaks() async throws {
        try await withStore { store, _ async throws in
            let requested = try await store.append([draft("r1", "gate.requested", step: "act")])[0]
            let condition = AppendCondition(run: "r1", noneAfter: requested.seq, of: Self.answers)
            _ = try await store.append([draft("r1", "step.output", step: "act"), draft("r2", "gate.approved")])
            let first = try await store.append([draft("r1", "gate.approved", step: "act")], if: condition)
            #expect(first?.count == 1, "events of other types, and of other runs, do not break it")
            let second = try await store.append([draft("r1", "gate.denied", step: "act")], if: condition)
            #expect(second == nil)
            #expect(try await store.events(run: "r1").map(\.type) == ["gate.requested", "step.output", "gate.approved"])
            #expect(try await store.verify().problem == nil)
        }
    }

    @Test("of 16 answers racing on two connections, as two processes would, exactly one is stored")
    func racingConnections() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let stores = try (0..<2).map { _ in try SQLiteEventStore(path: directory.file("state.db")) }
        for round in 0..<20 {
            let run = "run-\(round)"
            let requested = try await stores[0].append([draft(run, "gate.requested", step: "act")])[0]
            let seq = requested.seq
            let stored = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<16 {
                    let store = stores[index % 2]
                    group.addTask {
                        let condition = AppendCondition(run: run, noneAfter: seq, of: Self.answers)
                        let type = index.isMultiple(of: 2) ? "gate.approved" : "gate.denied"
                        return try await store.append([draft(run, type, step: "act")], if: condition) != nil
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(stored == 1)
            #expect(try await stores[1].events(run: run).count == 2)
        }
        #expect(try await stores[0].verify().problem == nil)
        for store in stores { await store.close() }
    }
}
