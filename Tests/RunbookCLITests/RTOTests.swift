import Foundation
import RunbookTestPeers
import Testing

/// The RTO clock: thresholds from the incident's start, recovery, and one clock shared by an incident's runs.
struct RTOTests {
    func time(_ event: [String: Any]) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return (event["ts"] as? String).flatMap(formatter.date(from:))
    }

    @Test("rto: 3s records warnings at 50% and 80%, the breach at 100%, then the recovery, in order and on time")
    func thresholdsAndRecovery() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("slow-fix", """
            rto: 3s
            steps:
              - { id: fix, run: sleep 3.5, mutating: false }
              - { id: verify, action: log, with: { message: healthy }, recovery: true }
            """)
        let result = try workspace.run(["exec", "slow-fix", "--incident", "inc-rto"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("RTO breached"))
        #expect(result.stdout.contains("incident recovered by verify"))
        let events = try workspace.events()
        let types = events.compactMap { $0["type"] as? String }.filter { $0.hasPrefix("rto.") || $0 == "incident.recovered" }
        #expect(types == ["rto.warning", "rto.warning", "rto.breached", "incident.recovered"])
        // The clock runs from the incident's start the run recorded (its start, taken before run.started is durable).
        let started = events.first { $0["type"] as? String == "run.started" }?["data"] as? [String: Any]
        let start = try #require(started.flatMap { time(["ts": $0["incident_started_at"] as Any]) })
        let offsets = events.filter { ($0["type"] as? String)?.hasPrefix("rto.") == true }.compactMap(time)
            .map { $0.timeIntervalSince(start) }
        #expect(offsets.count == 3)
        for (offset, expected) in zip(offsets, [1.5, 2.4, 3.0]) {
            #expect(offset >= expected - 0.05 && offset < expected + 1.0, "offset \(offset), expected \(expected)")
        }
        let recovered = try #require(events.first { $0["type"] as? String == "incident.recovered" }?["data"] as? [String: Any])
        #expect(recovered["met"] as? Bool == false)
        #expect((recovered["time_to_recover_ms"] as? Double ?? 0) >= 3_000)
    }

    @Test("runs of one incident share its clock: thresholds already recorded are not repeated, recovery stops it")
    func sharedIncidentClock() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("first", "rto: 2s\nsteps:\n  - { id: look, run: sleep 2.2, mutating: false }\n")
        try workspace.runbook("second", """
            rto: 2s
            steps:
              - { id: fix, action: log, with: { message: fixed }, recovery: true }
              - { id: after, run: sleep 0.5, mutating: false }
            """)
        #expect(try workspace.run(["exec", "first", "--incident", "inc-shared"]).status == 0)
        #expect(try workspace.run(["exec", "second", "--incident", "inc-shared"]).status == 0)
        let events = try workspace.events()
        #expect(events.filter { $0["type"] as? String == "rto.breached" }.count == 1)
        #expect(events.filter { $0["type"] as? String == "rto.warning" }.count == 2)
        #expect(events.filter { $0["type"] as? String == "incident.recovered" }.count == 1)
        let third = try workspace.run(["exec", "second", "--incident", "inc-shared"])
        #expect(third.status == 0)
        #expect(try workspace.events().filter { $0["type"] as? String == "incident.recovered" }.count == 1)
    }

    @Test("--since sets the incident's start")
    func since() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("late", "rto: 1m\nsteps:\n  - { id: a, action: log, with: { message: hi } }\n")
        let result = try workspace.run(["exec", "late", "--since", "2m"])
        #expect(result.status == 0, "\(result.stderr)")
        let types = try workspace.events().compactMap { $0["type"] as? String }
        #expect(types.filter { $0 == "rto.warning" }.count == 2)
        #expect(types.contains("rto.breached"))
    }
}
