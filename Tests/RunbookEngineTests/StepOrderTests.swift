import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore
import RunbookTestPeers
import Testing

/// The order of a run's steps and of their events, through the real engine with scripted actions.
@Suite("Engine: step order and commits")
struct StepOrderTests {
    @Test("steps run along `needs`, and a sequential run of n steps pays n + 1 commits")
    func sequential() async throws {
        var seam = Seam()
        seam.action("scripted") { call throws(ActionFailure) in ["step": .string(call.step)] }
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: a, action: scripted }
              - { id: c, action: scripted, needs: [b] }
              - { id: b, action: scripted, needs: [a] }
            """)
        #expect(status == .succeeded)
        #expect(seam.journal.all == ["a start", "a end", "b start", "b end", "c start", "c end"])
        #expect(seam.store.batches == [
            ["run.started", "step.started a"],
            ["step.finished a", "step.started b"],
            ["step.finished b", "step.started c"],
            ["step.finished c", "run.finished"],
        ])
        let finished = try #require(try await seam.events(EventType.stepFinished, step: "b").first)
        #expect(finished.data.member("outputs") == ["step": "b"])
        #expect(finished.data.member("attempts") == 1)
        #expect(try await seam.events(EventType.runFinished).first?.data.member("status") == "succeeded")
    }

    @Test("roots run in parallel, and a step that needs both starts only once both ends are committed")
    func parallelRoots() async throws {
        var seam = Seam()
        let bothRunning = Latch()
        let journal = seam.journal
        seam.action("scripted") { call throws(ActionFailure) in
            if call.step == "c" { return [:] }
            // Each root waits until the other has started: only parallel roots get past this.
            let other = call.step == "a" ? "b" : "a"
            guard await eventually(within: .seconds(5), { !journal.notes("\(other) start").isEmpty }) else {
                throw ActionFailure("\(other) never ran beside \(call.step)")
            }
            bothRunning.open()
            return [:]
        }
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: a, action: scripted }
              - { id: b, action: scripted, needs: [] }
              - { id: c, action: scripted, needs: [a, b] }
            """)
        #expect(status == .succeeded)
        #expect(bothRunning.isOpen)
        #expect(seam.store.batches.first == ["run.started"], "with two steps starting, the held start goes out alone")
        let labels = try await seam.events().map(\.label)
        let cStart = try #require(labels.firstIndex(of: "step.started c"))
        for root in ["a", "b"] {
            #expect(try #require(labels.firstIndex(of: "step.finished \(root)")) < cStart)
        }
        #expect(seam.store.batches.last == ["step.finished c", "run.finished"])
    }

    @Test("the store holds a step's start before its action begins")
    func startDurableBeforeActing() async throws {
        let journal = Journal()
        var seam = Seam(journal: journal, store: ScriptedStore(journal: journal))
        let store = seam.store
        seam.action("scripted") { call throws(ActionFailure) in
            let events = try? await store.inner.events(run: Seam.run)
            journal.note("\(call.step) saw \(events?.last?.label ?? "nothing")")
            return [:]
        }
        seam.action("prepared", prepares: true) { _ throws(ActionFailure) in [:] }
        _ = try await seam.run("""
            name: seam
            steps:
              - { id: a, action: scripted }
              - { id: b, action: scripted, needs: [a] }
              - { id: p, action: prepared, needs: [b] }
            """)
        #expect(journal.notes("a saw") == ["a saw step.started a"])
        #expect(journal.notes("b saw") == ["b saw step.started b"])
        let committed = try #require(journal.all.firstIndex(of: "committed step.finished b, step.started p"))
        #expect(journal.all.firstIndex(of: "p let go") == committed + 1)
        #expect(journal.all.firstIndex(of: "p start") == committed + 2)
    }

    @Test("held ends go out in the order the steps ended, a skipped step's among them, with the next start")
    func heldEndsInOrder() async throws {
        var seam = Seam()
        seam.action("scripted")
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: a, action: scripted }
              - { id: b, action: scripted, needs: [a], if: "${{ false }}" }
              - { id: c, action: scripted, needs: [b] }
            """)
        #expect(status == .succeeded)
        #expect(seam.store.batches == [
            ["run.started", "step.started a"],
            ["step.finished a", "step.finished b", "step.started c"],
            ["step.finished c", "run.finished"],
        ])
        let skipped = try #require(try await seam.events(EventType.stepFinished, step: "b").first)
        #expect(skipped.data.member("outcome") == "skipped")
        #expect(skipped.data.member("reason") == "its condition is false")
        #expect(seam.journal.notes("b").isEmpty)
    }

    @Test("a run against a SQLite store records the same events, in a chain that verifies")
    func sqlite() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sqlite = try SQLiteEventStore(path: directory.file("state.db"))
        var seam = Seam(store: ScriptedStore(sqlite))
        seam.action("scripted")
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: a, action: scripted }
              - { id: b, action: scripted, needs: [a] }
            """)
        #expect(status == .succeeded)
        #expect(try await seam.events().map(\.label) == [
            "run.started", "step.started a", "step.finished a", "step.started b", "step.finished b", "run.finished",
        ])
        #expect(seam.store.batches.count == 3)
        #expect(try await sqlite.verify().firstBad == nil)
        await sqlite.close()
    }
}
