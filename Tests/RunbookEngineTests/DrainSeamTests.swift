import Foundation
import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Testing

/// Draining a run through its `DrainSignal` (a `runbook serve` on SIGTERM): the running step ends, nothing launches.
@Suite("Engine: drain")
struct DrainSeamTests {
    static let twoSteps = """
        name: seam
        steps:
          - { id: first, action: scripted }
          - { id: second, action: scripted, needs: [first] }
        """

    @Test("a drained run lets its running step end, launches nothing after, and records no run.finished")
    func drainMidStep() async throws {
        var seam = Seam()
        let drain = seam.drain
        seam.action("scripted") { call throws(ActionFailure) in
            if call.step == "first" { drain.raise() }
            return [:]
        }
        let status = try await seam.run(Self.twoSteps)
        #expect(status == .interrupted)
        #expect(seam.journal.all == ["first start", "first end"])
        #expect(try await seam.events(EventType.stepFinished, step: "first").first?.data.member("outcome") == "success")
        #expect(try await seam.events(EventType.stepStarted, step: "second").isEmpty)
        #expect(try await seam.events(EventType.runFinished).isEmpty)
        // Resumable: the next worker continues it, and only the step left runs.
        let state = try #require(RunState(events: try await seam.events()))
        var next = Seam(journal: seam.journal, store: seam.store)
        next.action("scripted")
        let resumed = try await next.executor.resume(state, options: try next.options(Self.twoSteps))
        #expect(resumed == .succeeded)
        #expect(seam.journal.all == ["first start", "first end", "second start", "second end"])
        #expect(try await seam.events(EventType.runFinished).count == 1)
    }

    @Test("a run drained during its last step ends as usual, with run.finished")
    func drainDuringLastStep() async throws {
        var seam = Seam()
        let drain = seam.drain
        seam.action("scripted") { call throws(ActionFailure) in
            if call.step == "second" { drain.raise() }
            return [:]
        }
        #expect(try await seam.run(Self.twoSteps) == .succeeded)
        #expect(try await seam.events(EventType.runFinished).first?.data.member("status") == "succeeded")
    }
}
