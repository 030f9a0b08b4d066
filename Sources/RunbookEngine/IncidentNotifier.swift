import RunbookActions
import RunbookLanguage
import RunbookStore

/// Tells people about a run as it goes: gates waiting (with the approve command), RTO warnings and breaches,
/// recovery, and the run's end, posted to the severity's channels.
///
/// Messages are queued per channel and sent beside the steps, so a slow or dead webhook never blocks or fails the
/// run, nor delays the other channels; each delivery is recorded as `notify.sent`, or after the action's retries as
/// `notify.failed`.
struct IncidentNotifier: Sendable {
    /// The event types that are announced.
    static let announced: Set<String> = [
        EventType.gateRequested, EventType.rtoWarning, EventType.rtoBreached, EventType.incidentRecovered,
        EventType.runFinished,
    ]

    let channels: [NotifyChannel]
    private let queues: [(channel: NotifyChannel, stream: AsyncStream<AuditEvent>, input: AsyncStream<AuditEvent>.Continuation)]

    init(channels: [NotifyChannel]) {
        self.channels = channels
        queues = channels.map { channel in
            let (stream, input) = AsyncStream.makeStream(of: AuditEvent.self)
            return (channel, stream, input)
        }
    }

    /// Queues `event` on every channel when it is one that is announced: those of ``announced``, and every
    /// break-glass approval, at once.
    func consider(_ event: AuditEvent) {
        guard Self.announced.contains(event.type) || Self.isBreakGlass(event) else { return }
        for queue in queues { queue.input.yield(event) }
    }

    /// No more events will come; `deliver` returns once the queues are sent.
    func finish() {
        for queue in queues { queue.input.finish() }
    }

    /// Sends queued messages until `finish()`, one consumer per channel, recording each delivery.
    func deliver(options: RunOptions, record: @escaping @Sendable (EventDraft) async -> Void) async {
        let byName = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        await withDiscardingTaskGroup { group in
            for queue in queues {
                group.addTask {
                    await Self.drain(queue.stream, to: queue.channel, all: byName, options: options, record: record)
                }
            }
        }
    }

    private static func drain(
        _ stream: AsyncStream<AuditEvent>, to channel: NotifyChannel, all: [String: NotifyChannel],
        options: RunOptions, record: @Sendable (EventDraft) async -> Void
    ) async {
        let action = NotifyAction()
        for await event in stream {
            let text = options.redactor.redact(Self.message(for: event, options: options))
            let context = ActionContext(
                parameters: ["channel": .string(channel.name), "message": .string(text)], stepID: event.step ?? "",
                runID: options.runID, workingDirectory: options.workingDirectory, channels: all)
            var outcome = NotificationOutcome(channel: channel.name, about: event.type, aboutSeq: event.seq)
            do throws(ActionFailure) {
                _ = try await action.execute(context)
            } catch {
                outcome.error = options.redactor.redact(error.message)
            }
            await record(EventDraft(
                run: options.runID, incident: options.incident, step: event.step, actor: .system, outcome))
        }
    }

    /// Whether `event` is a break-glass approval.
    static func isBreakGlass(_ event: AuditEvent) -> Bool {
        event.type == EventType.gateApproved && event.payload(GateAnswered.self)?.breakGlass == true
    }

    /// A duration in milliseconds as people read it in a chat: whole seconds, `12m30s`.
    private static func seconds(_ milliseconds: Int64?) -> String {
        DurationSyntax.format(.seconds(Int64((Double(milliseconds ?? 0) / 1_000).rounded())))
    }

    /// The text posted for `event`: its own words and line breaks, with every recorded value in it shown with
    /// ``VisibleText``'s escapes, so a value cannot add a line to the message or pass for one of its own.
    static func message(for event: AuditEvent, options: RunOptions) -> String {
        // Redacted before it is escaped, which would hide a secret holding a control character from the redactor.
        let visible = { (text: String?) in VisibleText.escaped(options.redactor.redact(text ?? "")) }
        let step = VisibleText.escaped(event.step ?? "?")
        let run = VisibleText.escaped(options.runID)
        let prefix = "[\(options.severity)] \(VisibleText.escaped(options.runbook.name)) (run \(run), incident "
            + "\(VisibleText.escaped(options.incident))): "
        switch event.body {
        case .gateRequested(let gate):
            return prefix + "waiting for approval before '\(step)': \(visible(gate.message))\n"
                + "will run: \(visible(gate.action))\n"
                + "approve: \(visible(gate.approveCommand))   deny: runbook deny \(run) "
                + VisibleText.escaped(event.step ?? "")
                + (gate.approveURL.map { "\nor POST \(visible($0))" } ?? "")
        case .gateAnswered(let answer) where answer.approved:
            return prefix + "BREAK-GLASS: \(VisibleText.escaped(event.actor?.id ?? "?")) passed the gate of '\(step)' "
                + "alone, without the approvals it needs; reason: \(visible(answer.reason)). Review it."
        case .rto(let threshold) where event.type == EventType.rtoBreached:
            return prefix + "RTO of \(visible(threshold.rto)) breached"
        case .rto(let threshold):
            return prefix + "RTO \(threshold.percent ?? 0)% used, " + Self.seconds(threshold.remainingMilliseconds)
                + " left of \(visible(threshold.rto))"
        case .incidentRecovered(let recovered):
            var text = prefix + "recovered by '\(step)' after " + Self.seconds(recovered.timeToRecoverMilliseconds)
            if let met = recovered.met { text += met ? " (RTO met)" : " (RTO missed)" }
            return text
        case .runFinished(let finished):
            return prefix + "run \(visible(finished.status)) after " + Self.seconds(finished.durationMilliseconds)
        default:
            return prefix + VisibleText.escaped(event.type)
        }
    }
}
