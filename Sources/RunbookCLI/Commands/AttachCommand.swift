import ArgumentParser
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// `runbook attach RUN`: shows a live run as `exec` prints it — its events so far, then each as it is recorded — and
/// asks its gates at this terminal; leaving (Ctrl-C, end of input) leaves the run running in its own process.
struct AttachCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Show a live run as exec does and answer its gates here; leaving (Ctrl-C, end of input) leaves "
            + "it running.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The run's id.")
    var run: String

    @Option(name: .long, help: "text, or json for the run's events as NDJSON, exactly as stored.")
    var output: OutputFormat = .text

    /// How long it waits for the log to grow before it checks that the run's process is still alive.
    static let livenessInterval: Duration = .seconds(1)

    /// What woke the loop: the log grew (or the wait timed out), or the person answered the gate asked.
    private enum Wake: Sendable {
        case log
        case answer(Bool?)
    }

    /// The gate being asked at the terminal.
    private struct Asking {
        let step: String
        let task: Task<Bool?, Never>
    }

    func run(in context: CommandContext) async throws {
        let console = context.console
        let workspace = try Workspace(options: storeOptions, context: context)
        let store = try workspace.openStore()
        _ = try await workspace.runState(run, store: store)
        let observer = TerminalObserver(console: console, json: output == .json, interactive: console.drawsStatus)
        let prompter = console.asksPerson && output == .text
            ? TerminalGatePrompter(console: console, observer: observer, endOfInputDenies: false) : nil
        var events: [AuditEvent] = []
        var asked: Set<Int64> = []
        var asking: Asking?
        while true {
            let horizon: Int64
            let new: [AuditEvent]
            do throws(StoreError) {
                horizon = try await store.head()?.seq ?? 0
                new = try await store.events(run: run, after: events.last?.seq ?? 0, types: nil)
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
            for event in new { observer.recorded(event) }
            events += new
            guard let state = RunState(events: events) else { return }
            if let status = state.recordedStatus {
                asking?.task.cancel()
                if status != .succeeded { throw ExitCode(status.exitCode) }
                return
            }
            if let current = asking, state.steps[current.step]?.gateWaiting != true {
                current.task.cancel()
                asking = nil
            }
            if asking == nil, let prompter,
                let (request, seq) = Self.waitingGate(state, events: events, skipping: asked)
            {
                asked.insert(seq)
                asking = Asking(step: request.stepID, task: Task { await prompter.ask(request) })
            }
            if new.isEmpty, !workspace.isAlive(run) {
                asking?.task.cancel()
                console.error("run \(run) is not running (interrupted?); 'runbook status \(run)' tells more")
                return
            }
            switch await Self.wake(after: horizon, store: store, asking: asking) {
            case .log: continue
            case .answer(nil):
                console.writeError("left run \(run) running; attach again with: runbook attach \(run)\n")
                return
            case .answer(let approve?):
                guard let step = asking?.step else { continue }
                asking = nil
                try await answer(
                    approve, step: step, state: state, store: store, workspace: workspace, console: console)
            }
        }
    }

    /// Records the terminal's answer as any other: a conditional append, `via: "attach"`. An answer that lost the
    /// race, or that the gate's rules refuse, is said and the run followed on.
    private func answer(
        _ approve: Bool, step: String, state: RunState, store: any EventStore, workspace: Workspace, console: Console
    ) async throws {
        let answer = GateAnswer(
            approve: approve, person: workspace.user, displayName: workspace.identity.displayName, via: "attach")
        do throws(GateAnswerError) {
            _ = try await answer.record(in: store, state: state, step: step, isAlive: workspace.isAlive(run))
        } catch {
            guard error.kind != .storeFailed else { throw CommandFailure(error.message, status: .internalError) }
            console.error(error.message, hint: error.hint)
        }
    }

    /// The first gate waiting that this terminal has not asked yet, and the seq of its `gate.requested`.
    private static func waitingGate(_ state: RunState, events: [AuditEvent], skipping asked: Set<Int64>)
        -> (GateRequest, Int64)?
    {
        for step in state.stepOrder where state.steps[step]?.gateWaiting == true {
            guard let event = events.last(where: { $0.step == step && $0.type == EventType.gateRequested }),
                !asked.contains(event.seq), let gate = event.payload(GateRequested.self)
            else { continue }
            let request = GateRequest(
                runID: state.id, stepID: step, stepName: step, message: gate.message ?? "Run step '\(step)'?",
                summary: gate.action ?? "", severity: state.severity, reason: gate.reason,
                rtoRemaining: gate.rtoRemaining, preview: gate.preview ?? [],
                approveCommand: gate.approveCommand ?? "runbook approve \(state.id) \(step)",
                denyCommand: "runbook deny \(state.id) \(step)")
            return (request, event.seq)
        }
        return nil
    }

    /// Waits for the log to grow past `horizon` (up to ``livenessInterval``) or for the gate's answer.
    private static func wake(after horizon: Int64, store: any EventStore, asking: Asking?) async -> Wake {
        await withTaskGroup(of: Wake.self) { group in
            group.addTask {
                _ = try? await store.waitForEvents(after: horizon, timeout: livenessInterval)
                return .log
            }
            if let task = asking?.task {
                group.addTask { .answer(await task.value) }
            }
            let first = await group.next() ?? .log
            group.cancelAll()
            return first
        }
    }
}
