import ArgumentParser
import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// `runbook cancel RUN`: stops a run cleanly, from any terminal.
struct CancelCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a run: its running steps are stopped and recorded as cancelled.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The run's id.")
    var run: String

    @Option(name: .long, help: "text, or json for what was done: the run, outcome (stopping or cancelled), pid.")
    var output: OutputFormat = .text

    func run(in context: CommandContext) async throws {
        let workspace = try Workspace(options: storeOptions, context: context)
        let done = try await cancel(in: workspace)
        switch output {
        case .json:
            context.console.write(Value.object([
                "run": .string(done.run), "by": .string(workspace.user), "outcome": .string(done.outcome),
                "runner": done.runner.map(Value.string) ?? .null,
                "pid": done.pid.map { .number(Double($0)) } ?? .null,
                "cancelled_steps": .array(done.cancelledSteps.map(Value.string)),
            ]).jsonString(pretty: true) + "\n")
        case .text:
            context.console.write(done.text + "\n")
        }
    }

    /// What `cancel` did.
    private struct Cancellation {
        /// The run's full id.
        var run: String
        /// `stopping` (its runner was asked to stop it) or `cancelled` (interrupted, so ended here).
        var outcome: String
        /// `runbook serve` or `process` for a run that was stopping; nil for one ended here.
        var runner: String?
        /// The process signalled.
        var pid: Int32?
        /// The steps recorded as cancelled here (those of an interrupted run that had not ended).
        var cancelledSteps: [String] = []
        /// The sentence the text output prints.
        var text: String
    }

    /// Cancels the run in `workspace`'s store.
    private func cancel(in workspace: Workspace) async throws -> Cancellation {
        let (store, state) = try await workspace.open(run: run)
        // The run's full id: the argument may be a prefix of it, or @last.
        let run = state.id
        if state.recordedStatus != nil {
            throw CommandFailure("run \(run) has already ended (\(state.recordedStatus?.rawValue ?? ""))", status: .invalid)
        }
        if workspace.isAlive(run), state.isRunByServer {
            // `runbook serve` runs many runs in one process: it watches for the request instead of a signal.
            do throws(StoreError) {
                _ = try await store.append([EventDraft(
                    run: run, incident: state.incident, actor: .user(workspace.user),
                    RunCancelRequested(via: "runbook cancel"))])
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
            return Cancellation(
                run: run, outcome: "stopping", runner: "runbook serve",
                text: "cancelling \(VisibleText.escaped(run)): the runbook serve that runs it is stopping its steps")
        }
        if workspace.isAlive(run) {
            guard let pid = state.pid, state.host == nil || state.host == ProcessInfo.processInfo.hostName else {
                throw CommandFailure("run \(run) is running on \(state.host ?? "another host")",
                                     hint: "cancel it there", status: .invalid)
            }
            do throws(StoreError) {
                _ = try await store.append([EventDraft(
                    run: run, incident: state.incident, actor: .user(workspace.user),
                    RunCancelRequested(pid: Int64(pid)))])
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
            guard kill(pid, SIGTERM) == 0 else {
                throw CommandFailure("cannot signal process \(pid) of run \(run): \(String(cString: strerror(errno)))",
                                     status: .internalError)
            }
            return Cancellation(
                run: run, outcome: "stopping", runner: "process", pid: pid,
                text: "cancelling \(VisibleText.escaped(run)): its process \(pid) is stopping its steps")
        }
        let unfinished = state.unfinishedSteps.map { step in
            EventDraft(run: run, incident: state.incident, step: step.id, actor: .user(workspace.user), StepFinished(
                outcome: StepOutcome.cancelled.rawValue, conclusion: StepOutcome.cancelled.rawValue,
                durationMilliseconds: nil, attempts: Int64(step.attempts), outputs: [:],
                error: "the run was interrupted while this step ran; its result is unknown"))
        }
        do throws(StoreError) {
            _ = try await store.append(unfinished + [EventDraft(
                run: run, incident: state.incident, actor: .user(workspace.user), RunFinished(
                    status: RunStatus.cancelled.rawValue, exitCode: Int64(RunStatus.cancelled.exitCode),
                    reason: "cancelled while interrupted"))])
        } catch {
            throw CommandFailure(error.message, status: .internalError)
        }
        return Cancellation(
            run: run, outcome: "cancelled", cancelledSteps: unfinished.compactMap(\.step),
            text: "cancelled \(VisibleText.escaped(run)): it had been interrupted"
                + (unfinished.isEmpty ? "" : "; its unfinished steps are recorded as cancelled"))
    }
}
