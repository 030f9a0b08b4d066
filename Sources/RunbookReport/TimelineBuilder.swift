import Foundation
import RunbookLanguage
import RunbookStore

/// The fold behind ``Timeline``: one pass over the events, in order.
struct TimelineBuilder {
    private let scope: TimelineScope
    private var clock: LocalClock
    /// Where the incident's start comes from: `alert`, `since`, `run` or `event`.
    private let startSource: String
    private var incident: String?
    private var runs: [RunRecord] = []
    private var runIndex: [String: Int] = [:]
    private var steps: [StepRecord] = []
    private var stepIndex: [String: Int] = [:]
    private var gates: [GateRecord] = []
    /// What the postmortem must look at again: break-glass approvals and severities lowered below a runbook's.
    private var review: [Value] = []
    private var openGate: [String: Int] = [:]
    private var alerts: [Value] = []
    private var notes: [Value] = []
    private var rows: [EventRow] = []
    private var rtoObjective: String?
    private var rtoMarks: [Value] = []
    private var breached = false
    private var recovery: Value?
    private var detectedAt: Int64?
    private var firstHuman: (at: Int64, by: String, what: String)?
    private var mitigatedAt: Int64?
    private var mitigatedBy: String?
    private var recoveredAt: Int64?
    private var failures = 0
    private var responders: [String] = []

    init(events: [AuditEvent], scope: TimelineScope, zone: ReportTimeZone) {
        self.scope = scope
        let (origin, source) = Self.incidentStart(events)
        clock = LocalClock(zone: zone, origin: origin)
        startSource = source
        rows.reserveCapacity(events.count)
        if case .incident(let id) = scope { incident = id }
    }

    /// The incident's start: the earliest of the alerts' `starts_at`, the runs' `incident_started_at` and starts, and
    /// the first event; and where it comes from (`alert`, `since` when `--since` put it over a second before the run,
    /// `run`, `event`).
    private static func incidentStart(_ events: [AuditEvent]) -> (Int64, String) {
        var start = events.first.flatMap { time(of: $0) } ?? 0
        var source = "event"
        for event in events {
            switch event.type {
            case EventType.runStarted:
                guard let at = time(of: event) else { continue }
                if at <= start { (start, source) = (at, "run") }
                if let since = event.data.text("incident_started_at").flatMap(CivilTime.parse), since < start {
                    (start, source) = (since, at - since > CivilTime.microsecondsPerSecond ? "since" : "run")
                }
            case EventType.alertReceived:
                if let began = event.data.text("starts_at").flatMap(CivilTime.parse), began < start {
                    (start, source) = (began, "alert")
                }
            default:
                continue
            }
        }
        return (start, source)
    }

    /// Where the start comes from, in words.
    private static func startText(_ source: String) -> String {
        switch source {
        case "alert": "the first alert's start"
        case "since": "the recorded incident start (--since, or an earlier run)"
        case "run": "the first run's start"
        default: "the first event"
        }
    }

    /// An event's time in microseconds since 1970.
    private static func time(of event: AuditEvent) -> Int64? {
        CivilTime.parse(event.timestamp) ?? Timestamp.parse(event.timestamp).map { Int64($0.timeIntervalSince1970 * 1e6) }
    }

    /// Folds one event.
    mutating func fold(_ event: AuditEvent) {
        let at = Self.time(of: event) ?? clock.origin
        let moment = clock.moment(at)
        let (kind, failed) = EventKind.classify(event)
        if failed { failures += 1 }
        if incident == nil { incident = event.incident }
        if let actor = event.actor, actor.kind == "user", !responders.contains(actor.id) { responders.append(actor.id) }
        let data = event.data
        switch event.type {
        case EventType.runStarted:
            var run = RunRecord(id: event.run)
            run.runbook = data.text("runbook") ?? ""
            run.title = data.text("title") ?? ""
            run.severity = data.text("severity") ?? ""
            run.environment = data.text("environment")
            run.startedBy = event.actor?.id
            if case .object(let lowered) = data.member("severity_lowered") {
                let from = lowered["from"]?.stringValue ?? ""
                let reason = TextEscaping.trim(lowered["reason"]?.stringValue ?? "")
                run.severityLowered = (from, reason)
                review.append([
                    "kind": "severity_lowered", "run": .string(event.run), "step": .null,
                    "by": event.actor.map { .string($0.id) } ?? .null, "time": moment.value, "reason": .string(reason),
                    "what": .string("started at \(run.severity) though \(run.runbook) is \(from)"),
                ])
            }
            run.started = moment
            run.startedAt = at
            runIndex[event.run] = runs.count
            runs.append(run)
            if rtoObjective == nil { rtoObjective = data.text("rto") }
            if detectedAt == nil { detectedAt = at }
        case EventType.runResumed:
            updateRun(event.run) { run in
                run.status = nil
                run.finished = nil
                run.finishedAt = nil
            }
        case EventType.runFinished:
            updateRun(event.run) { run in
                run.status = data.text("status")
                run.finished = moment
                run.finishedAt = at
            }
        case EventType.stepStarted:
            updateStep(event) { step in
                step.action = data.text("action")
                step.mutating = data.flag("mutating") ?? false
                step.started = moment
                step.attempts = max(step.attempts, 1)
            }
        case EventType.stepRetry:
            updateStep(event) { step in step.attempts = Int(data.number("attempt") ?? Double(step.attempts + 1)) }
        case EventType.stepFinished:
            var mitigates = false
            updateStep(event) { step in
                step.outcome = data.text("outcome")
                step.conclusion = data.text("conclusion")
                step.finished = moment
                step.duration = data.number("duration_ms").map { Span(milliseconds: Int64($0)) }
                if let attempts = data.number("attempts") { step.attempts = Int(attempts) }
                step.error = data.text("error").map { TextEscaping.trim($0) }
                step.output = StepRecord.outputText(data.member("outputs"))
                mitigates = step.mutating && step.outcome == "success"
            }
            if mitigates, mitigatedAt == nil {
                mitigatedAt = at
                mitigatedBy = event.step
            }
        case EventType.gateRequested:
            openGate[Self.key(event)] = gates.count
            gates.append(GateRecord(
                run: event.run, step: event.step ?? "", message: TextEscaping.trim(data.text("message") ?? ""),
                action: data.text("action").map { TextEscaping.trim($0) },
                askedBy: runIndex[event.run].flatMap { runs[$0].startedBy }, requested: moment, requestedAt: at,
                minApprovals: Int(data.number("min_approvals") ?? 1)))
        case EventType.gateApproved, EventType.gateDenied, EventType.gateExpired:
            let decision = event.type == EventType.gateApproved ? "approved"
                : event.type == EventType.gateDenied ? "denied" : "expired"
            let person = event.actor?.id ?? "runbook"
            let answer = GateRecord.Answer(
                decision: decision, by: person, via: data.text("via") ?? data.text("default").map { "default: \($0)" },
                comment: (data.text("comment") ?? data.text("reason")).map { TextEscaping.trim($0) }, time: moment,
                breakGlass: data.flag("break_glass") ?? false)
            if answer.breakGlass {
                review.append([
                    "kind": "break_glass", "run": .string(event.run), "step": .string(event.step ?? ""),
                    "by": .string(person), "time": moment.value, "reason": answer.comment.value,
                    "what": .string("passed the gate of \(event.step ?? "?") alone (break-glass)"),
                ])
            }
            if let index = openGate[Self.key(event)] { gates[index].record(answer, at: at) }
            if decision != "expired", event.actor?.kind == "user" {
                noteHuman(at: at, by: person, what: "\(decision) the gate of \(event.step ?? "?")")
            }
        case EventType.noteAdded:
            let author = event.actor?.id ?? "?"
            notes.append([
                "time": moment.value, "author": .string(author), "text": .string(TextEscaping.trim(data.text("text") ?? "")),
                "run": event.run == event.incident ? .null : .string(event.run),
            ])
            noteHuman(at: at, by: author, what: "added a note")
        case EventType.rtoWarning, EventType.rtoBreached:
            if event.type == EventType.rtoBreached { breached = true }
            if rtoObjective == nil { rtoObjective = data.text("rto") }
            rtoMarks.append([
                "time": moment.value, "percent": data.member("percent"),
                "kind": .string(event.type == EventType.rtoBreached ? "breached" : "warning"),
                "remaining": data.number("remaining_ms").map { Span(milliseconds: Int64($0)) }.value,
            ])
        case EventType.incidentRecovered:
            if recoveredAt == nil {
                recoveredAt = at
                recovery = data
            }
        case EventType.alertReceived:
            alerts.append(Self.alert(data, actor: event.actor?.id, moment: moment))
            if detectedAt.map({ at < $0 }) ?? true { detectedAt = at }
        default:
            break
        }
        rows.append(EventRow(event: event, time: moment, kind: kind, failed: failed))
    }

    /// The first person to act: a gate answered or a note added.
    private mutating func noteHuman(at: Int64, by person: String, what: String) {
        if firstHuman == nil { firstHuman = (at, person, what) }
    }

    private static func key(_ event: AuditEvent) -> String { event.run + "\u{0}" + (event.step ?? "") }

    private mutating func updateRun(_ id: String, _ change: (inout RunRecord) -> Void) {
        guard let index = runIndex[id] else { return }
        change(&runs[index])
    }

    private mutating func updateStep(_ event: AuditEvent, _ change: (inout StepRecord) -> Void) {
        let key = Self.key(event)
        if stepIndex[key] == nil {
            stepIndex[key] = steps.count
            steps.append(StepRecord(run: event.run, id: event.step ?? ""))
        }
        if let index = stepIndex[key] { change(&steps[index]) }
    }

    /// An `alert.received` event as the timeline shows it.
    private static func alert(_ data: Value, actor: String?, moment: Moment) -> Value {
        let labels = data.pairs("labels")
        let annotations = data.pairs("annotations")
        let name = labels.first { $0.name == "alertname" }?.value ?? data.text("title") ?? data.text("name")
        let summary = annotations.first { $0.name == "summary" }?.value
            ?? annotations.first { $0.name == "description" }?.value
        func list(_ pairs: [(name: String, value: String)]) -> Value {
            .array(pairs.map { ["name": .string($0.name), "value": .string(TextEscaping.trim($0.value))] })
        }
        return [
            "time": moment.value, "source": .string(data.text("source") ?? actor ?? "unknown"),
            "status": .string(data.text("status") ?? "firing"), "name": name.value,
            "summary": summary.map { TextEscaping.trim($0) }.value, "starts_at": data.text("starts_at").value,
            "labels": list(labels), "annotations": list(annotations),
        ]
    }

    /// The document without its events, and the events.
    mutating func finish(chain: ChainStatus) -> (document: [String: Value], events: [EventRow]) {
        let origin = clock.origin
        func span(_ at: Int64?) -> Span? { at.map { Span(milliseconds: max(0, ($0 - origin) / 1_000)) } }
        let allFinished = !runs.isEmpty && runs.allSatisfy { $0.finishedAt != nil }
        let resolvedAt = recoveredAt != nil && allFinished ? runs.compactMap(\.finishedAt).max() : nil
        var recoverSpan = span(recoveredAt)
        if let recorded = recovery?.number("time_to_recover_ms") { recoverSpan = Span(milliseconds: Int64(recorded)) }
        let severities = runs.map(\.severity).filter { !$0.isEmpty }
        var runbooks: [String] = []
        for run in runs where !runbooks.contains(run.runbook) { runbooks.append(run.runbook) }
        let title = runs.first { !$0.title.isEmpty }?.title ?? runbooks.first ?? ""
        let startMoment = clock.moment(origin)
        let detected = detectedAt.map { clock.moment($0) }
        let human = firstHuman.map { clock.moment($0.at) }
        let mitigated = mitigatedAt.map { clock.moment($0) }
        let recovered = recoveredAt.map { clock.moment($0) }
        let resolved = resolvedAt.map { clock.moment($0) }
        let incidentValue: Value = [
            "id": .string(incident ?? scope.id), "title": .string(title),
            "severity": severities.min().value,
            "severity_meaning": severities.min().flatMap(SeverityMeaning.definition(of:)).value,
            "major": .bool(severities.min().map(SeverityMeaning.isMajor) ?? false), "runbooks": .array(runbooks.map(Value.string)),
            "started": startMoment.value, "started_from": .string(startSource),
            "started_from_text": .string(Self.startText(startSource)), "detected": detected.value,
            "first_human_action": human.value, "first_human_action_by": (firstHuman?.by).value,
            "first_human_action_what": (firstHuman?.what).value, "responders": .array(responders.map(Value.string)),
            "mitigated": mitigated.value, "mitigated_by": mitigatedBy.value, "recovered": recovered.value,
            "recovered_by": recovery?.text("step").value ?? .null, "resolved": resolved.value,
            "status": .string(recoveredAt == nil ? "open" : (resolvedAt == nil ? "recovered" : "resolved")),
            "is_recovered": .bool(recoveredAt != nil),
        ]
        let metrics: Value = [
            "time_to_detect": span(detectedAt).value,
            "time_to_acknowledge": span(firstHuman?.at).value,
            "time_to_mitigate": span(mitigatedAt).value,
            "time_to_recover": recoverSpan.value,
            "time_to_resolve": span(resolvedAt).value,
        ]
        let document: [String: Value] = [
            "format": "runbook-timeline", "version": .number(Double(Timeline.formatVersion)),
            "scope": ["kind": .string(scope.kind), "id": .string(scope.id)],
            "title": .string((scope.kind == "run" ? "Run " : "Incident ") + scope.id),
            "time_zone": .string(clock.zone.name),
            "incident": incidentValue, "metrics": metrics, "rto": rtoValue(recoverSpan),
            "runs": .array(runs.map(\.value)), "steps": .array(steps.map(\.value)),
            "gates": .array(gates.map(\.value)), "alerts": .array(alerts), "notes": .array(notes),
            "review": .array(review),
            "counts": [
                "events": .number(Double(rows.count)), "runs": .number(Double(runs.count)),
                "steps": .number(Double(steps.count)), "gates": .number(Double(gates.count)),
                "alerts": .number(Double(alerts.count)), "notes": .number(Double(notes.count)),
                "review": .number(Double(review.count)),
                "failures": .number(Double(failures)),
            ],
            "audit": chain.value,
        ]
        return (document, rows)
    }

    /// The RTO: the objective, whether it was met and by how much, and the warnings; null without an objective.
    private func rtoValue(_ recoverSpan: Span?) -> Value {
        guard let objective = rtoObjective else { return .null }
        let objectiveMilliseconds: Int64? = switch DurationSyntax.parse(objective) {
        case .success(let duration):
            duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        case .failure: nil
        }
        var met: Bool?
        var margin: Int64?
        if let recoverSpan {
            margin = recovery?.number("margin_ms").map { Int64($0) }
                ?? objectiveMilliseconds.map { $0 - recoverSpan.milliseconds }
            met = recovery?.flag("met") ?? margin.map { $0 >= 0 }
        }
        let status = met.map { $0 ? "met" : "missed" } ?? (breached ? "breached" : "open")
        var marginText: Value = .null
        if let margin {
            marginText = .string(margin >= 0 ? "\(Span.text(margin)) to spare" : "\(Span.text(-margin)) over")
        }
        return [
            "objective": .string(objective), "objective_ms": objectiveMilliseconds.map { .number(Double($0)) } ?? .null,
            "status": .string(status), "met": .bool(met == true), "missed": .bool(met == false),
            "breached": .bool(breached), "open": .bool(met == nil),
            "margin_ms": margin.map { .number(Double($0)) } ?? .null, "margin": marginText,
            "marks": .array(rtoMarks),
        ]
    }
}
