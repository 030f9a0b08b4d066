import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Testing

/// A store that fails in the middle of a run: the run stops there, and nothing acts after the failed append.
@Suite("Engine: a store that fails")
struct StoreFailureTests {
    /// Whether `drafts` hold the `type` event of `step`.
    static func holds(_ drafts: [EventDraft], _ type: String, _ step: String) -> Bool {
        drafts.contains { $0.type == type && $0.step == step }
    }

    @Test("a step whose start cannot be recorded never acts, its prepared attempt is abandoned, and the run stops")
    func startFails() async throws {
        let journal = Journal()
        var seam = Seam(
            journal: journal, store: ScriptedStore(journal: journal, failing: { Self.holds($0, EventType.stepStarted, "b") }))
        seam.action("scripted")
        seam.action("prepared", prepares: true)
        await #expect(throws: StoreError.self) {
            _ = try await seam.run("""
                name: seam
                steps:
                  - { id: a, action: scripted }
                  - { id: b, action: prepared, needs: [a] }
                  - { id: c, action: scripted, needs: [b] }
                """)
        }
        #expect(journal.all == [
            "committed run.started, step.started a", "a start", "a end", "store failed", "b abandoned",
        ])
        #expect(try await seam.store.trail() == ["run.started", "step.started a"])
    }

    @Test("a retry that cannot be recorded is not tried")
    func retryFails() async throws {
        var seam = Seam(store: ScriptedStore(failing: { Self.holds($0, EventType.stepRetry, "a") }))
        seam.action("broken") { _ throws(ActionFailure) in throw ActionFailure("boom") }
        await #expect(throws: StoreError.self) {
            _ = try await seam.run("""
                name: seam
                steps:
                  - { id: a, action: broken, retry: { attempts: 3, delay: 1ms } }
                """)
        }
        #expect(seam.journal.all == ["a start", "a failed"])
        #expect(try await seam.store.trail() == ["run.started", "step.started a"])
    }

    @Test("when the ends before a gate cannot be committed, the gate is never requested")
    func flushBeforeGateFails() async throws {
        var seam = Seam(store: ScriptedStore(failing: { $0.map(\.label) == ["step.finished a"] }))
        seam.action("scripted")
        seam.prompter = ScriptedPrompter(approve: true)
        await #expect(throws: StoreError.self) { _ = try await seam.run(GateSeamTests.gated) }
        #expect(seam.journal.all == ["a start", "a end"])
        #expect(try await seam.store.trail() == ["run.started", "step.started a"])
    }

    @Test("a failed append stops the steps running beside it")
    func stopsParallelSteps() async throws {
        var seam = Seam(store: ScriptedStore(failing: { Self.holds($0, EventType.stepStarted, "b") }))
        let journal = seam.journal
        seam.action("scripted") { call throws(ActionFailure) in
            journal.note("\(call.step) running")
            return try await ScriptedAction.untilCancelled()
        }
        await #expect(throws: StoreError.self) {
            _ = try await seam.run("""
                name: seam
                steps:
                  - { id: a, action: scripted }
                  - { id: b, action: scripted, needs: [] }
                """)
        }
        #expect(journal.notes("b").isEmpty)
        #expect(try await seam.store.trail().contains("step.finished a") == false)
        #expect(try await seam.store.trail().contains("run.finished") == false)
    }
}
