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

    func record() async throws {
        let console = Console.standard
        let workspace = try Workspace(options: storeOptions, console: console)
        let (store, state) = try await workspace.open(run: run)
        let answer = GateAnswer(
            approve: approve, person: workspace.user, via: "runbook \(approve ? "approve" : "deny")", note: note)
        let draft: EventDraft
        do throws(GateAnswerError) {
            draft = try answer.draft(for: state, step: step, isAlive: workspace.isAlive(run))
        } catch {
            throw CommandFailure(error.message, hint: error.hint, status: .invalid)
        }
        do throws(StoreError) {
            _ = try await store.append([draft])
        } catch {
            throw CommandFailure("the answer could not be recorded, so it does not count: \(error.message)",
                                 status: .internalError)
        }
        console.write("\(approve ? "approved" : "denied") \(draft.step ?? "") of \(run) as \(workspace.user)\n")
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
        try await GateAnswerCommand(storeOptions: storeOptions, run: run, step: step, approve: true, note: comment).record()
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
        try await GateAnswerCommand(storeOptions: storeOptions, run: run, step: step, approve: false, note: reason).record()
    }
}
