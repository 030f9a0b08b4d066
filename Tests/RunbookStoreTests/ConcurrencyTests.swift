import RunbookLanguage
import RunbookTestPeers
import Testing

@testable import RunbookStore

@Suite("Concurrent appends")
struct ConcurrencyTests {
    @Test("8 tasks appending at once keep one intact chain and each task's order")
    func concurrentTasks() async throws {
        try await withStore { store, _ async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        for index in 0..<50 {
                            let events = try await store.append([
                                draft("task-\(task)", data: ["n": .number(Double(index)), "part": 0]),
                                draft("task-\(task)", data: ["n": .number(Double(index)), "part": 1]),
                            ])
                            #expect(events[1].seq == events[0].seq + 1)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let all = try await store.events(after: 0, limit: 10_000)
            #expect(all.map(\.seq) == Array(1...800))
            for (previous, next) in zip(all, all.dropFirst()) { #expect(next.prev == previous.hash) }
            for task in 0..<8 {
                let numbers = try await store.events(run: "task-\(task)").map { $0.data.member("n") }
                #expect(numbers == (0..<50).flatMap { [Value.number(Double($0)), .number(Double($0))] })
            }
            #expect(try await store.verify() == VerificationReport(checked: 800, head: try await store.head()))
        }
    }

    @Test("two stores on the same file (two connections, as two processes would) keep the chain intact")
    func twoConnections() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        let first = try SQLiteEventStore(path: path)
        let second = try SQLiteEventStore(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (name, store) in [("first", first), ("second", second)] {
                for task in 0..<4 {
                    group.addTask {
                        for _ in 0..<25 { _ = try await store.append([draft("\(name)-\(task)")]) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let report = try await first.verify()
        #expect(report.isIntact && report.checked == 200)
        #expect(try await second.head()?.seq == 200)
        let all = try await second.events(after: 0, limit: 1_000)
        #expect(all.map(\.timestamp) == all.map(\.timestamp).sorted())
        await first.close()
        await second.close()
    }
}
