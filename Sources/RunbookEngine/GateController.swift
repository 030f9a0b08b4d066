import Foundation
import RunbookLanguage
import RunbookStore

/// Stops a step at its gate until it is approved, denied or expires: answered at the terminal, by `--yes`, or by
/// `runbook approve`/`deny` from anywhere that shares the store.
struct GateController: Sendable {
    let store: any EventStore
    let observer: any RunObserver
    let prompter: (any GatePrompter)?
    /// The longest wait for the log to grow before the gate's answers are read again anyway.
    static let longestWait: Duration = .seconds(1)

    /// What a gate's rules come to for this run: who may answer, how long it waits, whether `--yes` may answer it,
    /// and what its expiry decides.
    private struct Terms {
        let rules: GateRules
        let timeout: Duration
        let yesAllowed: Bool
        let defaultDecision: GateDecision

        init(confirmation: Confirmation?, options: RunOptions, mutating: Bool) {
            rules = GateRules(
                starter: options.runStarter, startedByAlert: options.isAlertStarted,
                approvers: confirmation?.approvers ?? [], minApprovals: confirmation?.minApprovals ?? 1)
            timeout = confirmation?.timeout ?? options.policy.gateTimeout
            yesAllowed = !options.isAlertStarted && (!mutating || options.policy.allowsYes)
            defaultDecision = options.isAlertStarted ? .deny : confirmation?.defaultDecision ?? .deny
        }
    }

    /// Records the gate, waits for its answer and returns whether the step may run.
    /// - Throws: `StoreError` when an event cannot be recorded: the step must then not run.
    func pass(
        _ request: GateRequest, confirmation: Confirmation?, options: RunOptions, mutating: Bool
    ) async throws(StoreError) -> Bool {
        let terms = Terms(confirmation: confirmation, options: options, mutating: mutating)
        let rules = terms.rules
        let requested = try await record(options.redactor.redact(EventDraft(
            run: options.runID, incident: options.incident, step: request.stepID, actor: .system,
            requestPayload(request, terms: terms, options: options, mutating: mutating))))

        if options.autoApprove, terms.yesAllowed, rules.refusal(for: options.starter) == nil {
            return try await settle(answer(approve: true, by: options.starter, via: "--yes", request, options),
                                    requested: requested, rules: rules)
        }
        let prompter = rules.refusal(for: options.starter) == nil ? self.prompter : nil
        switch await verdict(request, requested: requested, rules: rules, prompter: prompter,
                             deadline: ContinuousClock.now + terms.timeout) {
        case .terminal(let approve):
            return try await settle(answer(approve: approve, by: options.starter, via: "terminal", request, options),
                                    requested: requested, rules: rules)
        case .decided(let approve):
            return approve
        case .failed(let error):
            throw error
        case .expired:
            return try await settle(EventDraft(
                run: options.runID, incident: options.incident, step: request.stepID, actor: .system,
                GateExpired(defaultDecision: terms.defaultDecision.rawValue)),
                requested: requested, rules: rules)
        case .abandoned:
            return false
        }
    }

    /// The payload of `gate.requested`.
    private func requestPayload(_ request: GateRequest, terms: Terms, options: RunOptions, mutating: Bool)
        -> GateRequested
    {
        let gate = options.apiURL.map { "\($0)/runs/\(options.runID)/gates/\(request.stepID)" }
        return GateRequested(
            message: request.message, action: request.summary, mutating: mutating,
            minApprovals: Int64(terms.rules.minApprovals), approvers: terms.rules.approvers,
            defaultDecision: terms.defaultDecision.rawValue, approveCommand: request.approveCommand,
            rtoRemaining: request.rtoRemaining, approveURL: gate.map { $0 + "/approve" },
            denyURL: gate.map { $0 + "/deny" }, preview: request.preview.isEmpty ? nil : request.preview,
            timeoutSeconds: terms.timeout.components.seconds,
            yesRefused: options.autoApprove && !terms.yesAllowed
                ? "\(options.severity) does not allow --yes for mutating steps; a person must answer" : nil,
            reason: request.reason)
    }

    /// The first answer to the gate: the terminal's (when someone is asked there), or what the store says, until the
    /// deadline.
    private func verdict(
        _ request: GateRequest, requested: AuditEvent, rules: GateRules, prompter: (any GatePrompter)?,
        deadline: ContinuousClock.Instant
    ) async -> Verdict {
        await withTaskGroup(of: Verdict?.self) { group -> Verdict in
            if let prompter {
                group.addTask {
                    guard let approve = await prompter.ask(request) else { return nil }
                    return .terminal(approve)
                }
            }
            group.addTask {
                let watched = await self.watch(after: requested, request, rules: rules, deadline: deadline)
                if case .abandoned = watched { return nil }
                return watched
            }
            return await group.firstAnswer() ?? .abandoned
        }
    }

    private enum Verdict: Sendable {
        case terminal(Bool), decided(Bool), expired, abandoned, failed(StoreError)
    }

    /// Reads the store until the gate's answers decide it or its deadline passes, waiting on the store for the log to
    /// grow between reads. Each read takes only the answers recorded since the previous one: a parked run may keep
    /// receiving alerts.
    private func watch(
        after requested: AuditEvent, _ request: GateRequest, rules: GateRules, deadline: ContinuousClock.Instant?
    ) async -> Verdict {
        var cursor = requested.seq
        var gate = GateProgress(request: requested, rules: rules)
        while !Task.isCancelled {
            do throws(StoreError) {
                // The head before the read: every event up to it has been read, so the wait wakes for the next one.
                let head = try await store.head()?.seq ?? cursor
                cursor = try await read(after: cursor, into: &gate)
                if let approved = gate.tally.approved {
                    for answer in gate.answers { observer.recorded(answer) }
                    return .decided(approved)
                }
                let left = deadline.map { $0 - ContinuousClock.now } ?? Self.longestWait
                if left <= .zero { return .expired }
                _ = try await store.waitForEvents(after: max(head, cursor), timeout: min(left, Self.longestWait))
            } catch {
                return .failed(error)
            }
        }
        return .abandoned
    }

    /// Records `draft` (an answer, or the expiry) only if the gate is still undecided when its transaction runs;
    /// whatever the log then says decides the gate, so an answer given elsewhere a moment earlier wins over this one
    /// and this one is never recorded.
    /// - Returns: Whether the step may run.
    private func settle(_ draft: EventDraft, requested: AuditEvent, rules: GateRules) async throws(StoreError)
        -> Bool
    {
        var gate = GateProgress(request: requested, rules: rules)
        var cursor = requested.seq
        while true {
            cursor = try await read(after: cursor, into: &gate)
            if let approved = gate.tally.approved {
                for answer in gate.answers { observer.recorded(answer) }
                return approved
            }
            let condition = AppendCondition(run: requested.run, noneAfter: cursor, of: GateAnswer.decidingTypes)
            guard let stored = try await store.append([draft], if: condition) else { continue }
            for event in stored {
                observer.recorded(event)
                gate.record(event)
            }
            return gate.tally.approved ?? false
        }
    }

    /// Counts the gate's answers recorded after `cursor` into `gate`.
    /// - Returns: The sequence number of the newest answer read of any gate of the run, or `cursor`.
    private func read(after cursor: Int64, into gate: inout GateProgress) async throws(StoreError) -> Int64 {
        let recent = try await store.events(run: gate.request.run, after: cursor, types: GateAnswer.decidingTypes)
        for event in recent where event.step == gate.request.step && GateAnswer.answerTypes.contains(event.type) {
            gate.record(event)
        }
        return recent.last?.seq ?? cursor
    }

    private func answer(approve: Bool, by person: String, via: String, _ request: GateRequest, _ options: RunOptions)
        -> EventDraft
    {
        EventDraft(
            run: options.runID, incident: options.incident, step: request.stepID, actor: .user(person),
            GateAnswered(approved: approve, via: via, displayName: options.starterDisplayName))
    }

    private func record(_ draft: EventDraft) async throws(StoreError) -> AuditEvent {
        let stored = try await store.append([draft])
        for event in stored { observer.recorded(event) }
        guard let event = stored.first else { throw StoreError("the store returned no record for \(draft.type)") }
        return event
    }
}
