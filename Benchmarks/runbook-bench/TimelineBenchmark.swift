import Foundation
import RunbookLanguage
import RunbookReport
import RunbookStore

/// The timeline of an incident with 100,000 events: reading and verifying them, folding them into a timeline, and
/// rendering Markdown and HTML through the Mustache templates, against writing the same events' stored lines out as
/// NDJSON (what `runbook audit export` does) in the same process.
enum TimelineBenchmark {
    /// Events in the incident.
    static let eventCount = 100_000
    /// The incident's id.
    static let incident = "INC-BENCH"

    /// Builds the incident in a temporary store and prints the figures.
    static func run() async {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-timeline-bench-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        do {
            let store = try SQLiteEventStore(path: root + "/state.db")
            for start in stride(from: 0, to: eventCount, by: 10_000) {
                _ = try await store.append((start..<min(start + 10_000, eventCount)).map(event))
            }
            var loaded: [AuditEvent] = []
            var chain: ChainStatus?
            let load = try await measureAsync {
                let source = try await TimelineSource.load(.incident(incident), from: store, allowUnverified: false)
                (loaded, chain) = (source.events, source.chain)
            }
            await store.close()
            guard let chain, loaded.count == eventCount else { throw StoreError("the incident did not load") }
            let baseline = measure { _ = loaded.map(\.line).joined(separator: "\n") }
            var timeline: Timeline?
            let fold = measure {
                timeline = Timeline(events: loaded, scope: .incident(incident), zone: .utc, chain: chain)
            }
            guard let timeline else { return }
            var sizes: [TimelineFormat: Int] = [:]
            var times: [TimelineFormat: Double] = [:]
            for format in [TimelineFormat.md, .html, .json] {
                times[format] = try measure {
                    sizes[format] = try TimelineRenderer.render(timeline, format: format).utf8.count
                }
            }
            let markdown = fold + (times[.md] ?? 0)
            let markdownCPU = cpuSeconds {
                let folded = Timeline(events: loaded, scope: .incident(incident), zone: .utc, chain: chain)
                _ = try? TimelineRenderer.render(folded, format: .md)
            }
            print("timeline: an incident of \(grouped(eventCount)) events")
            print(String(format: "  render md          %.3f s   (goal < 1 s: fold %.3f s + template %.3f s, %d MB)",
                         markdown, fold, times[.md] ?? 0, (sizes[.md] ?? 0) / 1_000_000))
            print(String(format: "  render md, CPU     %.3f s   (the thread's CPU time: the figure without other processes)",
                         markdownCPU))
            print(String(format: "  render html        %.3f s   (fold + template, %d MB)",
                         fold + (times[.html] ?? 0), (sizes[.html] ?? 0) / 1_000_000))
            print(String(format: "  render json        %.3f s   (fold + encoder, %d MB)",
                         fold + (times[.json] ?? 0), (sizes[.json] ?? 0) / 1_000_000))
            print(String(format: "  read + verify      %.3f s   (before rendering)", load))
            print(String(format: "  NDJSON of lines    %.3f s   (baseline)", baseline))
            print(String(format: "  ratio              %.1fx the NDJSON (md)", markdown / baseline))
        } catch {
            FileHandle.standardError.write(Data("timeline benchmark failed: \(error)\n".utf8))
        }
    }

    /// Event `index` of the incident: two long runs of a runbook that retries and re-checks its steps, with a gate,
    /// an alert, a note, an RTO warning and a notification in every hundred events.
    @Sendable private static func event(_ index: Int) -> EventDraft {
        let run = "r-20261122-1000\(index < eventCount / 2 ? "10" : "20")-bench"
        let step = "step-\(index / 10 % 50)"
        if index == 0 || index == eventCount / 2 {
            return EventDraft(run: run, incident: incident, type: "run.started", actor: .user("alice"),
                              data: ["runbook": "api-down", "title": "API down", "severity": "SEV1", "rto": "15m"])
        }
        switch index % 100 {
        case 10:
            return EventDraft(run: run, incident: incident, type: "gate.requested", step: step, actor: .system,
                              data: ["message": .string("Restart \(step)?"), "mutating": true, "min_approvals": 1])
        case 11:
            return EventDraft(run: run, incident: incident, type: "gate.approved", step: step, actor: .user("bob"),
                              data: ["via": "runbook approve", "comment": "looks safe"])
        case 40:
            return EventDraft(run: incident, incident: incident, type: "note.added", actor: .user("carol"),
                              data: ["text": .string("checked the dashboards: error rate \(index % 100)% | <ok>")])
        case 60:
            return EventDraft(run: incident, incident: incident, type: "alert.received",
                              actor: Actor(kind: "alert", id: "alertmanager"), data: [
                                "source": "alertmanager", "status": "firing",
                                "labels": ["alertname": "APIDown", "service": "api", "severity": "critical"],
                                "annotations": ["summary": "API health check failing"],
                              ])
        case 70:
            return EventDraft(run: run, incident: incident, type: "rto.warning", actor: .system,
                              data: ["percent": 50, "rto": "15m", "remaining_ms": 450_000])
        case 80:
            return EventDraft(run: run, incident: incident, type: "notify.sent", step: step, actor: .system,
                              data: ["channel": "oncall", "about": "gate.requested"])
        default:
            break
        }
        switch index % 3 {
        case 0:
            return EventDraft(run: run, incident: incident, type: "step.started", step: step,
                              data: ["action": "shell", "mutating": true, "timeout_ms": 30_000])
        case 1:
            return EventDraft(run: run, incident: incident, type: "step.retry", step: step,
                              data: ["attempt": 2, "of": 5, "reason": "GET http://api/health returned 502", "delay_ms": 500])
        default:
            return EventDraft(run: run, incident: incident, type: "step.finished", step: step, actor: .system, data: [
                "outcome": index % 2 == 0 ? "failure" : "success", "duration_ms": .number(Double(index % 5_000)),
                "attempts": 2, "error": "GET http://api/health returned 502 | <retry> `later`",
                "outputs": ["status": 502, "body": "{\"status\":\"down\",\"replicas\":0}"],
            ])
        }
    }

    /// CPU seconds the calling thread spent in `body`.
    private static func cpuSeconds(_ body: () -> Void) -> Double {
        func now() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        let start = now()
        body()
        return now() - start
    }

    /// Seconds taken by `body`, best of 3.
    private static func measureAsync(_ body: () async throws -> Void) async rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = ContinuousClock.now
            try await body()
            let elapsed = ContinuousClock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return best
    }

    /// `value` with thousands separators.
    private static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}

