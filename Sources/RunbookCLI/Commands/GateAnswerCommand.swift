import RunbookLanguage
import ArgumentParser
import RunbookEngine
import RunbookStore

/// `runbook approve` and `runbook deny`: answer a waiting gate from any terminal that shares the store.
struct GateAnswerCommand {
    let storeOptions: StoreOptions
    let run: String
    let step: String?
    let approve: Bool
    let note: String?
    var breakGlass = false
    let output: OutputFormat

    func record(in context: CommandContext) async throws {
        let console = context.console
        let workspace = try Workspace(options: storeOptions, context: context)
        let (store, state) = try await workspace.open(run: run)
        if breakGlass, !workspace.config.permissions.breakGlass.allows(workspace.user) {
            throw CommandFailure(
                "\(workspace.user) may not break glass: "
                    + "'permissions.break_glass' in \(workspace.config.file ?? "the configuration") does not name them",
                hint: "a gate that needs more approvals waits for them; ask another approver", status: .invalid)
        }
        // The run's full id: the argument may be a prefix of it, or @last.
        let run = state.id
        let answer = GateAnswer(
            approve: approve, person: workspace.user, displayName: workspace.identity.displayName,
            via: "runbook \(approve ? "approve" : "deny")", note: note, breakGlass: breakGlass)
        let recorded: AuditEvent
        do throws(GateAnswerError) {
            recorded = try await answer.record(in: store, state: state, step: step, isAlive: workspace.isAlive(run))
        } catch {
            throw CommandFailure(error.message, hint: error.hint, status: Self.status(error.kind))
        }
        if output == .json {
            console.write(await value(of: recorded, state: state, store: store, workspace: workspace)
                .jsonString(pretty: true) + "\n")
            return
        }
        let how = breakGlass ? " (break-glass: notified, and listed for review)" : ""
        let visible = { (text: String) in VisibleText.escaped(text) }
        console.write("\(approve ? "approved" : "denied") \(visible(recorded.step ?? "")) of \(visible(run)) as "
            + "\(visible(workspace.identity.description))\(how)\n")
    }

    /// The recorded answer as `--output json` shows it, with where the gate stands after it: the run is read again
    /// from `state` on, since other events of it may have come before the answer (when that read fails, the answer
    /// is counted on `state` alone: it was recorded either way).
    private func value(of recorded: AuditEvent, state: RunState, store: any EventStore, workspace: Workspace) async
        -> Value
    {
        var state = state
        state.append((try? await store.events(run: state.id, after: state.lastSeq, types: nil)) ?? [recorded])
        let step = recorded.step ?? ""
        let waiting = state.steps[step].flatMap { WaitingGate(state, $0) }
        let answer = recorded.payload(GateAnswered.self)
        return [
            "run": .string(state.id), "step": .string(step), "answer": .string(approve ? "approved" : "denied"),
            "by": .string(workspace.user), "display_name": workspace.identity.displayName.map(Value.string) ?? .null,
            "comment": answer?.comment.map(Value.string) ?? .null, "reason": answer?.reason.map(Value.string) ?? .null,
            "break_glass": .bool(breakGlass), "seq": .number(Double(recorded.seq)),
            "decided": .bool(waiting == nil), "approvals_needed": .number(Double(waiting?.approvalsNeeded ?? 0)),
        ]
    }

    /// The exit code of a refused answer.
    static func status(_ kind: GateAnswerError.Kind) -> ExitStatus {
        switch kind {
        case .decided: .conflict
        case .storeFailed: .internalError
        case .notWaiting, .notRunning, .forbidden, .invalid: .invalid
        }
    }
}

/// `runbook approve RUN [STEP]`.
struct ApproveCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a waiting gate of a run, as your OS account.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The run's id.") var run: String
    @Argument(help: "The step whose gate to approve (optional when only one waits).") var step: String?
    @Option(name: .long, help: "Why, for the audit log.") var comment: String?
    @Flag(name: .long, help: ArgumentHelp("Pass, alone, a gate that needs more approvals (an emergency; needs "
            + "--reason and 'permissions.break_glass')."))
    var breakGlass = false
    @Option(name: .long, help: "What makes this an emergency (with --break-glass).") var reason: String?
    @Option(name: .long, help: "text, or json for the recorded answer and where the gate stands.")
    var output: OutputFormat = .text

    func validate() throws {
        if reason != nil, !breakGlass { throw ValidationError("--reason goes with --break-glass; use --comment") }
        if breakGlass, comment != nil { throw ValidationError("with --break-glass, give --reason instead of --comment") }
    }

    func run(in context: CommandContext) async throws {
        try await GateAnswerCommand(storeOptions: storeOptions, run: run, step: step, approve: true,
                                    note: breakGlass ? reason : comment, breakGlass: breakGlass, output: output)
            .record(in: context)
    }
}

/// `runbook deny RUN [STEP]`.
struct DenyCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "deny", abstract: "Deny a waiting gate of a run: the step is not run.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The run's id.") var run: String
    @Argument(help: "The step whose gate to deny (optional when only one waits).") var step: String?
    @Option(name: .long, help: "Why, for the audit log.") var reason: String?
    @Option(name: .long, help: "text, or json for the recorded answer and where the gate stands.")
    var output: OutputFormat = .text

    func run(in context: CommandContext) async throws {
        try await GateAnswerCommand(storeOptions: storeOptions, run: run, step: step, approve: false, note: reason,
                                    output: output).record(in: context)
    }
}
