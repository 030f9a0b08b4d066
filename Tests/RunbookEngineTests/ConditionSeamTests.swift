import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Testing

/// `if:`, failure propagation and `continue_on_error` through the real engine.
@Suite("Engine: conditions and failures")
struct ConditionSeamTests {
    /// Each step's outcome and conclusion, by id.
    static func ends(_ seam: Seam) async throws -> [String: String] {
        var ends: [String: String] = [:]
        for event in try await seam.events(EventType.stepFinished) {
            ends[event.step ?? ""] = event.data.member("outcome").stringValue + "/"
                + event.data.member("conclusion").stringValue
        }
        return ends
    }

    /// A seam whose action `scripted` fails in step `fails` and succeeds elsewhere.
    static func failingAtFails() -> Seam {
        var seam = Seam()
        seam.action("scripted") { call throws(ActionFailure) in
            if call.step == "fails" { throw ActionFailure("no") }
            return [:]
        }
        return seam
    }

    @Test("a failure skips everything downstream of it, except steps whose `if:` asks for it")
    func failurePropagates() async throws {
        let seam = Self.failingAtFails()
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: fails, action: scripted }
              - { id: next, action: scripted, needs: [fails] }
              - { id: later, action: scripted, needs: [next] }
              - { id: cleanup, action: scripted, needs: [later], if: "${{ failure() }}" }
              - { id: unrelated, action: scripted, needs: [] }
            """)
        #expect(status == .failed)
        #expect(try await Self.ends(seam) == [
            "fails": "failure/failure", "next": "skipped/skipped", "later": "skipped/skipped",
            "cleanup": "success/success", "unrelated": "success/success",
        ])
        #expect(Set(seam.journal.notes("").filter { $0.hasSuffix(" start") })
                == ["fails start", "cleanup start", "unrelated start"])
    }

    @Test("`continue_on_error` lets the steps after a failure run, and the run succeed")
    func continueOnError() async throws {
        let seam = Self.failingAtFails()
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: fails, action: scripted, continue_on_error: true }
              - { id: next, action: scripted, needs: [fails], if: "${{ steps.fails.outcome == 'failure' }}" }
            """)
        #expect(status == .succeeded)
        #expect(try await Self.ends(seam) == ["fails": "failure/success", "next": "success/success"])
    }

    @Test("an `if:` that cannot be evaluated fails its step without running it")
    func conditionFails() async throws {
        var seam = Seam()
        seam.action("scripted")
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: a, action: scripted, if: "${{ fromJSON('not json') == 1 }}" }
            """)
        #expect(status == .failed)
        let end = try #require(try await seam.events(EventType.stepFinished, step: "a").first)
        #expect(end.data.member("outcome") == "failure")
        #expect(end.data.member("error").stringValue.hasPrefix("the 'if:' expression failed: "))
        #expect(seam.journal.all.isEmpty)
        #expect(seam.store.batches == [["run.started", "step.finished a", "run.finished"]])
    }
}
