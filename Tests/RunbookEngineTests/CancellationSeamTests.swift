import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Testing

/// Cancelling a run through its `CancellationSignal` while a step acts.
@Suite("Engine: cancellation")
struct CancellationSeamTests {
    @Test("a run cancelled mid-action stops the action, records it cancelled, and starts nothing more")
    func midAction() async throws {
        var seam = Seam()
        let cancellation = seam.cancellation
        seam.action("scripted") { call throws(ActionFailure) in
            guard call.step == "slow" else { return [:] }
            cancellation.raise()
            return try await ScriptedAction.untilCancelled()
        }
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: slow, action: scripted }
              - { id: after, action: scripted, needs: [slow] }
            """)
        #expect(status == .cancelled)
        #expect(status.exitCode == 4)
        #expect(seam.journal.all == ["slow start", "slow cancelled"])
        let end = try #require(try await seam.events(EventType.stepFinished, step: "slow").first)
        #expect(end.data.member("outcome") == "cancelled")
        #expect(end.data.member("attempts") == 1)
        #expect(try await seam.events(EventType.runFinished).first?.data.member("status") == "cancelled")
        #expect(try await seam.events().map(\.label).last == "run.finished")
        #expect(try await seam.events(EventType.stepStarted, step: "after").isEmpty)
    }

    @Test("cancelling one of two parallel steps stops both")
    func parallel() async throws {
        var seam = Seam()
        let cancellation = seam.cancellation
        let journal = seam.journal
        seam.action("scripted") { call throws(ActionFailure) in
            if call.step == "a" {
                _ = await eventually { !journal.notes("b start").isEmpty }
                cancellation.raise()
            }
            return try await ScriptedAction.untilCancelled()
        }
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: a, action: scripted }
              - { id: b, action: scripted, needs: [] }
            """)
        #expect(status == .cancelled)
        #expect(Set(journal.notes("a") + journal.notes("b")) == ["a start", "a cancelled", "b start", "b cancelled"])
        #expect(try await seam.events(EventType.stepFinished).map { $0.data.member("outcome") } == ["cancelled", "cancelled"])
    }

    @Test("after a cancel, always() and cancelled() steps run to their end; the others are skipped as cancelled")
    func cleanUp() async throws {
        var seam = Seam()
        let cancellation = seam.cancellation
        seam.action("scripted") { call throws(ActionFailure) in
            switch call.step {
            case "slow":
                cancellation.raise()
                return try await ScriptedAction.untilCancelled()
            case "tidy", "notice":
                // Not stopped by the cancel that came before it started.
                try? await Task.sleep(for: .milliseconds(20))
                return Task.isCancelled ? [:] : ["done": true]
            default:
                return [:]
            }
        }
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: slow, action: scripted }
              - { id: next, action: scripted, needs: [slow] }
              - { id: when-ok, action: scripted, needs: [slow], if: success() }
              - { id: tidy, action: scripted, needs: [next], if: always() }
              - { id: notice, action: scripted, needs: [slow], if: cancelled() }
              - { id: on-failure, action: scripted, needs: [slow], if: failure() }
            """)
        #expect(status == .cancelled)
        #expect(Set(seam.journal.all) == [
            "slow start", "slow cancelled", "tidy start", "tidy end", "notice start", "notice end",
        ])
        for step in ["tidy", "notice"] {
            let end = try #require(try await seam.events(EventType.stepFinished, step: step).first)
            #expect(end.data.member("outcome") == "success", "\(step)")
            #expect(end.data.member("outputs").member("done") == true, "\(step)")
        }
        for step in ["next", "when-ok", "on-failure"] {
            let end = try #require(try await seam.events(EventType.stepFinished, step: step).first)
            #expect(end.data.member("outcome") == "skipped", "\(step)")
            #expect(end.data.member("reason") == "the run was cancelled", "\(step)")
            #expect(try await seam.events(EventType.stepStarted, step: step).isEmpty, "\(step)")
        }
        #expect(try await seam.events().map(\.label).last == "run.finished")
    }

    @Test("an always() step already running when the cancel comes is stopped like any other")
    func runningCleanUp() async throws {
        var seam = Seam()
        let cancellation = seam.cancellation
        seam.action("scripted") { _ throws(ActionFailure) in
            cancellation.raise()
            return try await ScriptedAction.untilCancelled()
        }
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: tidy, action: scripted, if: always() }
            """)
        #expect(status == .cancelled)
        #expect(try await seam.events(EventType.stepFinished, step: "tidy").first?.data.member("outcome") == "cancelled")
    }
}
