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
            let outcome: (type: String, data: Value)
            do throws(ActionFailure) {
                _ = try await action.execute(context)
                outcome = (EventType.notifySent, ["channel": .string(channel.name), "about": .string(event.type),
                                           "about_seq": .number(Double(event.seq))])
            } catch {
                outcome = (EventType.notifyFailed, ["channel": .string(channel.name), "about": .string(event.type),
                                             "about_seq": .number(Double(event.seq)),
                                             "error": .string(options.redactor.redact(error.message))])
            }
            await record(EventDraft(run: options.runID, incident: options.incident, type: outcome.type,
                                    step: event.step, actor: .system, data: outcome.data))
        }
    }

    /// Whether `event` is a break-glass approval.
    static func isBreakGlass(_ event: AuditEvent) -> Bool {
        event.type == EventType.gateApproved && event.data.member("break_glass") == .bool(true)
    }

    /// A duration in milliseconds as people read it in a chat: whole seconds, `12m30s`.
    private static func seconds(_ milliseconds: Value) -> String {
        DurationSyntax.format(.seconds(Int64(((milliseconds.numericValue ?? 0) / 1_000).rounded())))
    }

    /// The text posted for `event`: its own words and line breaks, with every recorded value in it shown with
    /// ``VisibleText``'s escapes, so a value cannot add a line to the message or pass for one of its own.
    static func message(for event: AuditEvent, options: RunOptions) -> String {
        let data = event.data
        // Redacted before it is escaped, which would hide a secret holding a control character from the redactor.
        let visible = { (value: Value) in VisibleText.escaped(options.redactor.redact(value.stringValue)) }
        let step = VisibleText.escaped(event.step ?? "?")
        let run = VisibleText.escaped(options.runID)
        let prefix = "[\(options.severity)] \(VisibleText.escaped(options.runbook.name)) (run \(run), incident "
            + "\(VisibleText.escaped(options.incident))): "
        switch event.type {
        case EventType.gateRequested:
            return prefix + "waiting for approval before '\(step)': \(visible(data.member("message")))\n"
                + "will run: \(visible(data.member("action")))\n"
                + "approve: \(visible(data.member("approve_command")))   deny: runbook deny \(run) "
                + VisibleText.escaped(event.step ?? "")
                + (data.member("approve_url") == .null ? "" : "\nor POST \(visible(data.member("approve_url")))")
        case EventType.gateApproved:
            return prefix + "BREAK-GLASS: \(VisibleText.escaped(event.actor?.id ?? "?")) passed the gate of '\(step)' "
                + "alone, without the approvals it needs; reason: \(visible(data.member("reason"))). Review it."
        case EventType.rtoWarning:
            return prefix + "RTO \(Int(data.member("percent").numericValue ?? 0))% used, "
                + Self.seconds(data.member("remaining_ms"))
                + " left of \(visible(data.member("rto")))"
        case EventType.rtoBreached:
            return prefix + "RTO of \(visible(data.member("rto"))) breached"
        case EventType.incidentRecovered:
            var text = prefix + "recovered by '\(step)' after "
                + Self.seconds(data.member("time_to_recover_ms"))
            if case .bool(let met) = data.member("met") {
                text += met ? " (RTO met)" : " (RTO missed)"
            }
            return text
        case EventType.runFinished:
            return prefix + "run \(visible(data.member("status"))) after "
                + Self.seconds(data.member("duration_ms"))
        default:
            return prefix + VisibleText.escaped(event.type)
        }
    }
}
