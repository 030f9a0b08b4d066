import ArgumentParser
import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// `runbook gates`: every gate waiting for an answer, across the recent runs that are still running — what it asks,
/// since when, when it expires and what then happens, who may answer, and how many approvals it still needs.
struct GatesCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "gates",
        abstract: "List the gates waiting for an answer: run, step, question, timeout and default, who may answer.",
        discussion: """
            Examples:
              runbook gates                 every waiting gate of a running run
              runbook gates --mine          only those you may answer now
              runbook gates --output json   for scripts: one object a gate
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Flag(name: .long, help: "Only the gates you may answer (approve) now.")
    var mine = false

    @Option(name: .long, help: "How many of the newest runs to look through.")
    var limit = 200

    @Option(name: .long, help: "text or json.")
    var output: OutputFormat = .text

    func run(in context: CommandContext) async throws {
        let workspace = try Workspace(options: storeOptions, context: context)
        guard let store = try workspace.openExistingStore() else {
            context.console.writeError(workspace.noStoreYet + "\n")
            if output == .json { context.console.write("[]\n") }
            return
        }
        var gates: [WaitingGate] = []
        do throws(StoreError) {
            for id in try await store.recentRuns(limit: limit) where workspace.isAlive(id) {
                guard let state = RunState(events: try await store.events(run: id)), state.recordedStatus == nil
                else { continue }
                gates += state.stepOrder.compactMap { state.steps[$0] }.compactMap { WaitingGate(state, $0) }
            }
        } catch {
            throw CommandFailure(error.message, status: .internalError)
        }
        if mine { gates = gates.filter { $0.mayBeAnswered(by: workspace.user) } }
        switch output {
        case .json:
            context.console.write(Value.array(gates.map { $0.value(now: context.now()) }).jsonString(pretty: true) + "\n")
        case .text:
            guard !gates.isEmpty else {
                context.console.write(mine ? "no gate waits for you\n" : "no gate is waiting\n")
                return
            }
            let rows = gates.map { $0.row(now: context.now()) }
            context.console.write(TextTable(
                header: ["RUN", "RUNBOOK", "STEP", "WAITING", "EXPIRES", "THEN", "NEEDS", "WHO", "QUESTION"],
                rows: rows).rendered)
        }
    }
}
