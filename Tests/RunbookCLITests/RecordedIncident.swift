import Foundation
import RunbookTestPeers
import RunbookLanguage
import Synchronization

@_spi(Fixtures) import RunbookStore

/// A recorded incident with fixed timestamps, written through the store's API into a real, chain-valid store: an
/// alert, two runs of `checkout-5xx` (the first denied at its gate and failed, the second approved and recovered), a
/// late RTO warning, a notification and a note on the incident.
enum RecordedIncident {
    static let incident = "INC-4711"
    static let firstRun = "r-20261122-100010-a1f3"
    static let secondRun = "r-20261122-100600-b7c2"

    /// One event of the script: when it is stored, and what it is.
    struct Entry {
        var time: String
        var draft: EventDraft
    }

    /// Writes the incident into a new store at `path` and returns the stored events.
    /// - Parameter extra: Entries appended after the script (for tests that need more events).
    static func write(to path: String, extra: [Entry] = []) async throws -> [AuditEvent] {
        let now = Mutex<Int64>(0)
        let store = try SQLiteEventStore(path: path, wallClock: { now.withLock { $0 } })
        var stored: [AuditEvent] = []
        for entry in script + extra {
            guard let microseconds = microseconds(entry.time) else {
                throw StoreError("bad fixture time \(entry.time)")
            }
            now.withLock { $0 = microseconds }
            stored += try await store.append([entry.draft])
        }
        await store.close()
        return stored
    }

    /// `2026-11-22T10:00:05.250Z` in microseconds since 1970.
    static func microseconds(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1_000).rounded()) * 1_000 }
    }

    private static let alice = Actor.user("alice")
    private static let incidentStart = "2026-11-22T09:58:00.000Z"

    private static func event(
        _ time: String, _ run: String, _ type: String, step: String? = nil, actor: Actor? = .system,
        _ data: Value = [:]
    ) -> Entry {
        Entry(time: time, draft: EventDraft(run: run, incident: incident, type: type, step: step, actor: actor, data: data))
    }

    private static func started(_ time: String, _ run: String, severity: String) -> Entry {
        event(time, run, "run.started", actor: alice, [
            "runbook": "checkout-5xx", "title": "Checkout API returns 502", "file": "runbooks/checkout-5xx.yaml",
            "severity": .string(severity), "inputs": ["service": "checkout", "token": "***"], "steps": 3,
            "environment": "prod", "rto": "15m", "incident_started_at": .string(incidentStart), "pid": 4242,
            "host": "oncall-1",
        ])
    }

    private static func step(_ time: String, _ run: String, _ id: String, action: String, mutating: Bool) -> Entry {
        event(time, run, "step.started", step: id, actor: nil, [
            "action": .string(action), "mutating": .bool(mutating), "parameters": [:], "timeout_ms": 30_000,
        ])
    }

    private static func finished(
        _ time: String, _ run: String, _ id: String, _ outcome: String, conclusion: String? = nil,
        duration: Double?, error: String? = nil, outputs: Value = [:], attempts: Double = 1
    ) -> Entry {
        var data: [String: Value] = [
            "outcome": .string(outcome), "conclusion": .string(conclusion ?? outcome), "attempts": .number(attempts),
            "outputs": outputs,
        ]
        if let duration { data["duration_ms"] = .number(duration) }
        if let error { data["error"] = .string(error) }
        return event(time, run, "step.finished", step: id, .object(data))
    }

    private static func gate(_ time: String, _ run: String) -> Entry {
        event(time, run, "gate.requested", step: "restart", [
            "message": "Health is HTTP 502. Restart checkout?", "action": "shell kubectl rollout restart deploy/checkout",
            "mutating": true, "min_approvals": 1, "approvers": [], "default": "deny",
            "approve_command": .string("runbook approve \(run) restart"), "timeout_s": 600, "rto_remaining": "9m",
        ])
    }

    /// The 502 body the health check got: long enough to be trimmed in the documents.
    static let longBody = "<html><body><h1>502 Bad Gateway</h1>" + String(repeating: "upstream reset | ", count: 150)
        + "</body></html>"

    static let script: [Entry] = [
        event("2026-11-22T10:00:05.250Z", incident, "alert.received", actor: Actor(kind: "alert", id: "alertmanager"), [
            "source": "alertmanager", "status": "firing", "starts_at": "2026-11-22T09:58:00Z",
            "fingerprint": "5e2c1f0a9b7d3e11",
            "labels": ["alertname": "CheckoutAPI5xx", "service": "checkout", "severity": "critical", "env": "prod"],
            "annotations": [
                "summary": "Checkout 5xx rate is 7.2% (threshold 5%)",
                "runbook_url": "https://runbooks.example.com/checkout-5xx",
            ],
        ]),
        started("2026-11-22T10:00:10.000Z", firstRun, severity: "SEV2"),
        step("2026-11-22T10:00:10.100Z", firstRun, "health", action: "http.check", mutating: false),
        finished(
            "2026-11-22T10:00:10.512Z", firstRun, "health", "failure", conclusion: "success", duration: 412,
            error: "GET https://checkout.internal/health returned 502, expected 200",
            outputs: ["status": 502, "latency_ms": 411, "body": .string(longBody)]),
        gate("2026-11-22T10:00:10.600Z", firstRun),
        event("2026-11-22T10:03:40.000Z", firstRun, "gate.denied", step: "restart", actor: .user("bob"), [
            "via": "runbook deny", "reason": "a deploy is in progress | wait for it to finish",
        ]),
        finished("2026-11-22T10:03:40.050Z", firstRun, "restart", "denied", duration: nil, attempts: 0),
        step("2026-11-22T10:03:40.100Z", firstRun, "verify", action: "http.check", mutating: false),
        finished(
            "2026-11-22T10:03:42.300Z", firstRun, "verify", "failure", duration: 2_200,
            error: "GET https://checkout.internal/health returned 502, expected 200", outputs: ["status": 502]),
        event("2026-11-22T10:03:42.400Z", firstRun, "run.finished", [
            "status": "failed", "exit_code": 1, "duration_ms": 212_400,
        ]),
        started("2026-11-22T10:06:00.000Z", secondRun, severity: "SEV1"),
        event("2026-11-22T10:06:00.200Z", secondRun, "rto.warning", [
            "percent": 50, "rto": "15m", "incident_started_at": .string(incidentStart), "elapsed_ms": 480_200,
            "remaining_ms": 419_800,
        ]),
        step("2026-11-22T10:06:00.300Z", secondRun, "health", action: "http.check", mutating: false),
        finished(
            "2026-11-22T10:06:00.700Z", secondRun, "health", "failure", conclusion: "success", duration: 400,
            error: "GET https://checkout.internal/health returned 502, expected 200", outputs: ["status": 502]),
        gate("2026-11-22T10:06:00.800Z", secondRun),
        event("2026-11-22T10:07:15.000Z", secondRun, "gate.approved", step: "restart", actor: .user("carol"), [
            "via": "runbook approve", "comment": "deploy finished; restart is safe",
        ]),
        step("2026-11-22T10:07:15.100Z", secondRun, "restart", action: "shell", mutating: true),
        finished(
            "2026-11-22T10:07:45.000Z", secondRun, "restart", "success", duration: 29_900,
            outputs: ["exit_code": 0, "stdout": "deployment.apps/checkout restarted", "stderr": ""]),
        step("2026-11-22T10:07:46.000Z", secondRun, "verify", action: "http.check", mutating: false),
        finished(
            "2026-11-22T10:07:48.000Z", secondRun, "verify", "success", duration: 2_000,
            outputs: ["status": 200, "latency_ms": 35]),
        event("2026-11-22T10:07:48.100Z", secondRun, "incident.recovered", step: "verify", [
            "step": "verify", "incident_started_at": .string(incidentStart), "time_to_recover_ms": 588_100,
            "rto": "15m", "met": true, "margin_ms": 311_900,
        ]),
        event("2026-11-22T10:07:48.200Z", secondRun, "run.finished", [
            "status": "succeeded", "exit_code": 0, "duration_ms": 108_200,
        ]),
        event("2026-11-22T10:07:48.300Z", secondRun, "notify.sent", step: "verify", [
            "channel": "oncall", "about": "incident.recovered", "about_seq": 22,
        ]),
        Entry(time: "2026-11-22T10:12:00.000Z", draft: EventDraft(
            run: incident, incident: incident, type: "note.added", actor: .user("carol"),
            data: ["text": "root cause: connection pool exhausted after the 09:50 deploy; `pool_size` was 10 | see <https://grafana.example.com/d/abc>"])),
    ]
}
