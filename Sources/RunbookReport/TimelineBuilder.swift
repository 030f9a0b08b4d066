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
    private var recovery: IncidentRecovered?
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
            switch event.body {
            case .runStarted(let started):
                guard let at = time(of: event) else { continue }
                if at <= start { (start, source) = (at, "run") }
                if let since = started.incidentStartedAt.flatMap(CivilTime.parse), since < start {
                    (start, source) = (since, at - since > CivilTime.microsecondsPerSecond ? "since" : "run")
                }
            case .alert(let alert) where alert.disposition == .received:
                if let began = alert.startsAt.flatMap(CivilTime.parse), began < start {
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
        let body = event.body
        let (kind, failed) = EventKind.classify(body)
        if failed { failures += 1 }
        if incident == nil { incident = event.incident }
        if let actor = event.actor, actor.kind == "user", !responders.contains(actor.id) { responders.append(actor.id) }
        switch body {
        case .runStarted(let started):
            var run = RunRecord(id: event.run)
            run.runbook = started.runbook ?? ""
            run.title = started.title ?? ""
            run.severity = started.severity ?? ""
            run.environment = started.environment
            run.startedBy = event.actor?.id
            if let lowered = started.severityLowered {
                let reason = TextEscaping.trim(lowered.reason)
                run.severityLowered = (lowered.from, reason)
                review.append([
                    "kind": "severity_lowered", "run": .string(event.run), "step": .null,
                    "by": event.actor.map { .string($0.id) } ?? .null, "time": moment.value, "reason": .string(reason),
                    "what": .string("started at \(run.severity) though \(run.runbook) is \(lowered.from)"),
                ])
            }
            run.started = moment
            run.startedAt = at
            runIndex[event.run] = runs.count
            runs.append(run)
            if rtoObjective == nil { rtoObjective = started.rto }
            if detectedAt == nil { detectedAt = at }
        case .runResumed:
            updateRun(event.run) { run in
                run.status = nil
                run.finished = nil
                run.finishedAt = nil
            }
        case .runFinished(let finished):
            updateRun(event.run) { run in
                run.status = finished.status
                run.finished = moment
                run.finishedAt = at
            }
        case .stepStarted(let started):
            updateStep(event) { step in
                step.action = started.action
                step.mutating = started.mutating
                step.started = moment
                step.attempts = max(step.attempts, 1)
            }
        case .stepRetry(let retry):
            updateStep(event) { step in step.attempts = retry.attempt.map { Int($0) } ?? step.attempts + 1 }
        case .stepFinished(let finished):
            fold(finished, of: event, moment: moment, at: at)
        case .gateRequested(let requested):
            openGate[Self.key(event)] = gates.count
            gates.append(GateRecord(
                run: event.run, step: event.step ?? "", message: TextEscaping.trim(requested.message ?? ""),
                action: requested.action.map { TextEscaping.trim($0) },
                askedBy: runIndex[event.run].flatMap { runs[$0].startedBy }, requested: moment, requestedAt: at,
                minApprovals: requested.minApprovals.map { Int($0) } ?? 1))
        case .gateAnswered(let answered):
            let decision = answered.approved ? "approved" : "denied"
            foldAnswer(of: event, GateRecord.Answer(
                decision: decision, by: event.actor?.id ?? "runbook", via: answered.via,
                comment: (answered.comment ?? answered.reason).map { TextEscaping.trim($0) }, time: moment,
                breakGlass: answered.breakGlass), at: at)
        case .gateExpired(let expired):
            foldAnswer(of: event, GateRecord.Answer(
                decision: "expired", by: event.actor?.id ?? "runbook",
                via: expired.defaultDecision.map { "default: \($0)" }, comment: nil, time: moment, breakGlass: false),
                at: at)
        case .noteAdded(let note):
            let author = event.actor?.id ?? "?"
            notes.append([
                "time": moment.value, "author": .string(author), "text": .string(TextEscaping.trim(note.text ?? "")),
                "run": event.run == event.incident ? .null : .string(event.run),
            ])
            noteHuman(at: at, by: author, what: "added a note")
        case .rto(let threshold):
            let isBreach = event.type == EventType.rtoBreached
            if isBreach { breached = true }
            if rtoObjective == nil { rtoObjective = threshold.rto }
            rtoMarks.append([
                "time": moment.value, "percent": threshold.percent.map { .number(Double($0)) } ?? .null,
                "kind": .string(isBreach ? "breached" : "warning"),
                "remaining": threshold.remainingMilliseconds.map { Span(milliseconds: $0) }.value,
            ])
        case .incidentRecovered(let recovered):
            if recoveredAt == nil {
                recoveredAt = at
                recovery = recovered
            }
        case .alert(let alert) where alert.disposition == .received:
            alerts.append(Self.alert(alert, actor: event.actor?.id, moment: moment))
            if detectedAt.map({ at < $0 }) ?? true { detectedAt = at }
        case .runDetached, .runTakenOver, .runReleased, .runCancelRequested, .lockWaiting, .alert, .notification,
            .webhookRejected, .auditCheckpoint, .unknown:
            break
        }
        rows.append(EventRow(event: event, time: moment, kind: kind, failed: failed))
    }

    /// Folds a step's end: its record, and the incident's mitigation when it is a mutating step's success.
    private mutating func fold(_ finished: StepFinished, of event: AuditEvent, moment: Moment, at: Int64) {
        var mitigates = false
        updateStep(event) { step in
            step.outcome = finished.outcome
            step.conclusion = finished.conclusion
            step.finished = moment
            step.duration = finished.durationMilliseconds.map { Span(milliseconds: $0) }
            if let attempts = finished.attempts { step.attempts = Int(attempts) }
            step.error = finished.error.map { TextEscaping.trim($0) }
            step.output = StepRecord.outputText(finished.outputs.map(Value.object) ?? .null)
            mitigates = step.mutating && step.outcome == "success"
        }
        if mitigates, mitigatedAt == nil {
            mitigatedAt = at
            mitigatedBy = event.step
        }
    }

    /// Folds a gate's answer or expiry into its gate, the review list (break-glass) and the first human act.
    private mutating func foldAnswer(of event: AuditEvent, _ answer: GateRecord.Answer, at: Int64) {
        if answer.breakGlass {
            review.append([
                "kind": "break_glass", "run": .string(event.run), "step": .string(event.step ?? ""),
                "by": .string(answer.by), "time": answer.time.value, "reason": answer.comment.value,
                "what": .string("passed the gate of \(event.step ?? "?") alone (break-glass)"),
            ])
        }
        if let index = openGate[Self.key(event)] { gates[index].record(answer, at: at) }
        if answer.decision != "expired", event.actor?.kind == "user" {
            noteHuman(at: at, by: answer.by, what: "\(answer.decision) the gate of \(event.step ?? "?")")
        }
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
    private static func alert(_ alert: AlertRecord, actor: String?, moment: Moment) -> Value {
        let labels = pairs(alert.labels)
        let annotations = pairs(alert.annotations)
        let name = labels.first { $0.name == "alertname" }?.value
        let summary = annotations.first { $0.name == "summary" }?.value
            ?? annotations.first { $0.name == "description" }?.value
        func list(_ pairs: [(name: String, value: String)]) -> Value {
            .array(pairs.map { ["name": .string($0.name), "value": .string(TextEscaping.trim($0.value))] })
        }
        return [
            "time": moment.value, "source": .string(alert.source ?? actor ?? "unknown"),
            "status": .string(alert.status ?? "firing"), "name": name.value,
            "summary": summary.map { TextEscaping.trim($0) }.value, "starts_at": alert.startsAt.value,
            "labels": list(labels), "annotations": list(annotations),
        ]
    }

    /// An object's members as `name`/`value` pairs sorted by name.
    private static func pairs(_ members: [String: Value]?) -> [(name: String, value: String)] {
        guard let members else { return [] }
        return members.keys.sorted().map { ($0, members[$0]?.stringValue ?? "") }
    }

    /// The document without its events, and the events.
    mutating func finish(chain: ChainStatus) -> (document: [String: Value], events: [EventRow]) {
        let origin = clock.origin
        func span(_ at: Int64?) -> Span? { at.map { Span(milliseconds: max(0, ($0 - origin) / 1_000)) } }
        let allFinished = !runs.isEmpty && runs.allSatisfy { $0.finishedAt != nil }
        let resolvedAt = recoveredAt != nil && allFinished ? runs.compactMap(\.finishedAt).max() : nil
        var recoverSpan = span(recoveredAt)
        if let recorded = recovery?.timeToRecoverMilliseconds { recoverSpan = Span(milliseconds: recorded) }
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
            "recovered_by": recovery?.step.value ?? .null, "resolved": resolved.value,
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
            margin = recovery?.marginMilliseconds
                ?? objectiveMilliseconds.map { $0 - recoverSpan.milliseconds }
            met = recovery?.met ?? margin.map { $0 >= 0 }
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
