import RunbookLanguage
import ArgumentParser
import RunbookEngine
import RunbookStore

/// `runbook approve` and `runbook deny`: answer a waiting gate from any terminal that shares the store.
struct GateAnswer {
    let storeOptions: StoreOptions
    let run: String
    let step: String?
    let approve: Bool
    let note: String?

    func record() async throws {
        let console = Console.standard
        let workspace = try Workspace(options: storeOptions, console: console)
        let (store, state) = try await workspace.open(run: run)
        let waiting = state.stepOrder.compactMap { state.steps[$0] }.filter(\.gateWaiting)
        let target: String
        if let step {
            guard waiting.contains(where: { $0.id == step }) else {
                throw CommandFailure("step '\(step)' of run \(run) is not waiting at a gate"
                                     + (waiting.isEmpty ? "" : "; waiting: " + waiting.map(\.id).joined(separator: ", ")),
                                     status: .invalid)
            }
            target = step
        } else {
            guard waiting.count == 1, let only = waiting.first else {
                throw CommandFailure(waiting.isEmpty ? "run \(run) has no gate waiting for an answer"
                                     : "run \(run) has several gates waiting: name one of "
                                        + waiting.map(\.id).joined(separator: ", "), status: .invalid)
            }
            target = only.id
        }
        if state.recordedStatus != nil || !workspace.isAlive(run) {
            throw CommandFailure("run \(run) is not running, so nothing waits for this answer",
                                 hint: "'runbook status \(run)' tells what happened", status: .invalid)
        }
        guard let request = state.events.last(where: { $0.type == EventType.gateRequested && $0.step == target }) else {
            throw CommandFailure("no gate request found for step '\(target)'", status: .invalid)
        }
        let rules = GateRules(requested: request, starter: state.actor?.id ?? "")
        if let refusal = rules.refusal(for: workspace.user) {
            throw CommandFailure("\(workspace.user) cannot answer this gate: \(refusal)", status: .invalid)
        }
        let earlier = state.events.filter {
            $0.seq > request.seq && $0.step == target && $0.type == EventType.gateApproved && $0.actor?.id == workspace.user
        }
        if approve, !earlier.isEmpty {
            throw CommandFailure("\(workspace.user) has already approved this gate; it needs "
                                 + "\(rules.minApprovals) different people", status: .invalid)
        }
        var data: [String: Value] = ["via": .string("runbook \(approve ? "approve" : "deny")")]
        if let note { data[approve ? "comment" : "reason"] = .string(note) }
        do throws(StoreError) {
            _ = try await store.append([EventDraft(
                run: run, incident: state.incident, type: approve ? EventType.gateApproved : EventType.gateDenied,
                step: target, actor: .user(workspace.user), data: .object(data))])
        } catch {
            throw CommandFailure("the answer could not be recorded, so it does not count: \(error.message)",
                                 status: .internalError)
        }
        console.write("\(approve ? "approved" : "denied") \(target) of \(run) as \(workspace.user)\n")
    }
}

/// `runbook approve RUN [STEP]`.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a waiting gate of a run, as $RUNBOOK_USER (or your OS user).")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The run's id.") var run: String
    @Argument(help: "The step whose gate to approve (optional when only one waits).") var step: String?
    @Option(name: .long, help: "Why, for the audit log.") var comment: String?

    func run() async throws {
        try await GateAnswer(storeOptions: storeOptions, run: run, step: step, approve: true, note: comment).record()
    }
}

/// `runbook deny RUN [STEP]`.
struct DenyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deny", abstract: "Deny a waiting gate of a run: the step is not run.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The run's id.") var run: String
    @Argument(help: "The step whose gate to deny (optional when only one waits).") var step: String?
    @Option(name: .long, help: "Why, for the audit log.") var reason: String?

    func run() async throws {
        try await GateAnswer(storeOptions: storeOptions, run: run, step: step, approve: false, note: reason).record()
    }
}
