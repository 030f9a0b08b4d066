import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Testing

/// `retry` (attempts, delays, backoff, `until`) and `timeout`, through the real engine with scripted actions.
@Suite("Engine: retries and timeouts")
struct RetryTests {
    /// The `step.retry` events of step `step`: attempt, of, delay_ms and reason.
    static func retries(_ seam: Seam, step: String = "a") async throws -> [(Int, Int, Int, String)] {
        try await seam.events(EventType.stepRetry, step: step).map { event in
            let data = event.data
            return (Int(data.member("attempt").numericValue ?? 0), Int(data.member("of").numericValue ?? 0),
                    Int(data.member("delay_ms").numericValue ?? -1), data.member("reason").stringValue)
        }
    }

    /// The `step.finished` data of step `step`.
    static func end(_ seam: Seam, step: String = "a") async throws -> Value {
        try #require(try await seam.events(EventType.stepFinished, step: step).first).data
    }

    @Test("a failing step is tried again after its delay, recording each retry, until it succeeds")
    func retriesUntilSuccess() async throws {
        var seam = Seam()
        seam.action("flaky") { call throws(ActionFailure) in
            guard call.attempt >= 3 else { throw ActionFailure("boom \(call.attempt)") }
            return ["tries": .number(Double(call.attempt))]
        }
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: a, action: flaky, retry: { attempts: 4, delay: 1ms } }
            """)
        #expect(status == .succeeded)
        let retries = try await Self.retries(seam)
        #expect(retries.map(\.0) == [2, 3])
        #expect(retries.map(\.1) == [4, 4])
        #expect(retries.map(\.2) == [1, 1])
        #expect(retries.map(\.3) == ["boom 1", "boom 2"])
        let end = try await Self.end(seam)
        #expect(end.member("outcome") == "success")
        #expect(end.member("attempts") == 3)
        #expect(end.member("outputs") == ["tries": 3])
        #expect(try await seam.events().map(\.label) == [
            "run.started", "step.started a", "step.retry a", "step.retry a", "step.finished a", "run.finished",
        ])
    }

    @Test("a step that fails every try fails with its last error, after its exponential delays")
    func retriesExhausted() async throws {
        var seam = Seam()
        seam.action("broken") { call throws(ActionFailure) in throw ActionFailure("boom \(call.attempt)", outputs: ["exit_code": 1]) }
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: a, action: broken, retry: { attempts: 4, delay: 1ms, backoff: exponential } }
              - { id: b, action: broken, needs: [a] }
            """)
        #expect(status == .failed)
        #expect(try await Self.retries(seam).map(\.2) == [1, 2, 4])
        let end = try await Self.end(seam)
        #expect(end.member("outcome") == "failure")
        #expect(end.member("error") == "boom 4")
        #expect(end.member("attempts") == 4)
        #expect(end.member("outputs") == ["exit_code": 1])
        #expect(try await Self.end(seam, step: "b").member("outcome") == "skipped")
        #expect(seam.journal.notes("b").isEmpty)
    }

    /// Runs step `a`, whose output `count` is its try's number, with `retry` of `attempts` until `until`.
    static func polling(attempts: Int, until: String) async throws -> (Seam, RunStatus) {
        var seam = Seam()
        seam.action("poll") { call throws(ActionFailure) in ["count": .number(Double(call.attempt))] }
        let status = try await seam.run("""
            name: seam
            steps:
              - id: a
                action: poll
                retry: { attempts: \(attempts), delay: 1ms, until: "${{ \(until) }}" }
            """)
        return (seam, status)
    }

    @Test("`retry.until` tries a succeeding step again until its own outputs satisfy it")
    func untilHolds() async throws {
        let (seam, status) = try await Self.polling(attempts: 5, until: "steps.a.outputs.count >= 3")
        #expect(status == .succeeded)
        let reasons = try await Self.retries(seam).map(\.3)
        #expect(reasons.count == 2)
        #expect(reasons.allSatisfy { $0.hasPrefix("'retry.until' (") && $0.hasSuffix(") does not hold yet") })
        let end = try await Self.end(seam)
        #expect(end.member("attempts") == 3)
        #expect(end.member("outputs") == ["count": 3])
    }

    @Test("`retry.until` that never holds fails the step after its last try")
    func untilNeverHolds() async throws {
        let (seam, status) = try await Self.polling(attempts: 2, until: "steps.a.outputs.count > 10")
        #expect(status == .failed)
        let end = try await Self.end(seam)
        #expect(end.member("outcome") == "failure")
        #expect(end.member("error").stringValue.hasSuffix("still did not hold after 2 attempts"))
        #expect(end.member("outputs") == ["count": 2])
    }

    @Test("a step that outlives its timeout is stopped and fails; with retries left, it is tried again")
    func timeout() async throws {
        var seam = Seam()
        seam.action("hang") { call throws(ActionFailure) in
            if call.step == "b", call.attempt == 2 { return ["second": true] }
            return try await ScriptedAction.untilCancelled()
        }
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: a, action: hang, timeout: 20ms, continue_on_error: true }
              - { id: b, action: hang, timeout: 20ms, needs: [a], retry: { attempts: 2, delay: 1ms } }
            """)
        #expect(status == .succeeded)
        let end = try await Self.end(seam)
        #expect(end.member("outcome") == "failure")
        #expect(end.member("conclusion") == "success")
        #expect(end.member("error") == "the step ran longer than its timeout of 20ms and was stopped")
        #expect(try await seam.events(EventType.stepStarted, step: "a").first?.data.member("timeout_ms") == 20)
        #expect(seam.journal.notes("a") == ["a start", "a cancelled"])
        #expect(try await Self.retries(seam, step: "b").map(\.3)
                == ["the step ran longer than its timeout of 20ms and was stopped"])
        #expect(try await Self.end(seam, step: "b").member("outputs") == ["second": true])
    }
}
