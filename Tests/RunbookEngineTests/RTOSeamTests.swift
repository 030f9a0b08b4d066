import Foundation
import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Testing

/// The RTO clock beside the steps, with objectives of milliseconds or incidents that began long ago.
@Suite("Engine: RTO clock")
struct RTOSeamTests {
    /// Registers `scripted`, whose step `watch` waits (5 s at most) until the store holds `rto.breached`, and whose
    /// other steps take 2 ms, so that they end past a breach recorded just before.
    static func waitingForBreach(_ seam: inout Seam) {
        let store = seam.store
        seam.action("scripted") { call throws(ActionFailure) in
            guard call.step == "watch" else {
                try? await Task.sleep(for: .milliseconds(2))
                return [:]
            }
            let breached = await eventually {
                (try? await store.inner.events(run: Seam.run).contains { $0.type == EventType.rtoBreached }) == true
            }
            return ["breached": .bool(breached)]
        }
    }

    /// The percentages of the run's RTO events, in log order.
    static func thresholds(_ seam: Seam) async throws -> [String] {
        try await seam.events().filter { [EventType.rtoWarning, EventType.rtoBreached].contains($0.type) }.map {
            "\($0.type) \(Int($0.data.member("percent").numericValue ?? 0))"
        }
    }

    @Test("a millisecond RTO records its warnings and its breach while a step runs, and recovery after it as missed")
    func millisecondRTO() async throws {
        var seam = Seam()
        Self.waitingForBreach(&seam)
        let status = try await seam.run("""
            name: seam
            rto: 40ms
            steps:
              - { id: watch, action: scripted }
              - { id: fix, action: scripted, needs: [watch], recovery: true }
            """)
        #expect(status == .succeeded)
        #expect(try await seam.events(EventType.stepFinished, step: "watch").first?.data.member("outputs")
                == ["breached": true])
        #expect(try await Self.thresholds(seam) == ["rto.warning 50", "rto.warning 80", "rto.breached 100"])
        let breach = try #require(try await seam.events(EventType.rtoBreached).first)
        #expect(breach.data.member("rto") == "40ms")
        #expect((breach.data.member("elapsed_ms").numericValue ?? 0) >= 40)
        let recovered = try #require(try await seam.events(EventType.incidentRecovered, step: "fix").first)
        #expect(recovered.data.member("met") == false)
        #expect(seam.store.batches.first == ["run.started"], "with an RTO, the start is not held")
    }

    @Test("an incident that began long before the run breaches at once, before the first step ends")
    func incidentLongAgo() async throws {
        var seam = Seam()
        Self.waitingForBreach(&seam)
        var options = try seam.options("""
            name: seam
            rto: 1m
            steps:
              - { id: watch, action: scripted }
            """)
        let began = Date().addingTimeInterval(-7_200)
        options.incidentStart = Timestamp.format(began)
        #expect(try await seam.executor.start(options) == .succeeded)
        #expect(try await Self.thresholds(seam) == ["rto.warning 50", "rto.warning 80", "rto.breached 100"])
        let labels = try await seam.events().map(\.label)
        #expect(try #require(labels.firstIndex(of: "rto.breached")) < #require(labels.firstIndex(of: "step.finished watch")))
        #expect(try await seam.events(EventType.runStarted).first?.data.member("incident_started_at")
                == .string(Timestamp.format(began)))
    }

    @Test("a recovery step that succeeds within the RTO stops the clock and records it met")
    func recoveryMet() async throws {
        var seam = Seam()
        seam.action("scripted")
        let status = try await seam.run("""
            name: seam
            rto: 1h
            steps:
              - { id: fix, action: scripted, recovery: true }
              - { id: again, action: scripted, needs: [fix], recovery: true }
            """)
        #expect(status == .succeeded)
        let recovered = try await seam.events(EventType.incidentRecovered)
        #expect(recovered.map(\.step) == ["fix"], "only the first recovery counts")
        #expect(recovered.first?.data.member("met") == true)
        #expect(try await Self.thresholds(seam).isEmpty)
        #expect(seam.store.batches.contains(["step.finished fix", "incident.recovered fix"]))
    }
}
