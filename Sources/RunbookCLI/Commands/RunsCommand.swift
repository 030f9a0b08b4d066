import Foundation
import ArgumentParser
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// `runbook runs`: recent runs with their status.
struct RunsCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List recent runs: id, runbook, status, incident, start and duration.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: "How many runs to show.")
    var limit = 20

    @Option(name: .long, help: "text or json.")
    var output: OutputFormat = .text

    func run(in context: CommandContext) async throws {
        let console = context.console
        let workspace = try Workspace(options: storeOptions, context: context)
        let now = context.now()
        let store = try workspace.openStore()
        var states: [RunState] = []
        do throws(StoreError) {
            for id in try await store.recentRuns(limit: limit) {
                if let state = RunState(events: try await store.events(run: id)) { states.append(state) }
            }
        } catch {
            throw CommandFailure(error.message, status: .internalError)
        }
        let rows = states.map { state -> [String: Value] in
            [
                "id": .string(state.id), "runbook": .string(state.runbook),
                "status": .string(state.status(ownerAlive: workspace.isAlive(state.id)).rawValue),
                "incident": state.incident.map(Value.string) ?? .null, "started": .string(state.startedAt),
                "duration": RunTiming.duration(state, alive: workspace.isAlive(state.id), now: now).map { .string(formatMilliseconds($0)) } ?? .null,
            ]
        }
        switch output {
        case .json:
            console.write(Value.array(rows.map(Value.object)).jsonString(pretty: true) + "\n")
        case .text:
            let header = ["ID", "RUNBOOK", "STATUS", "INCIDENT", "STARTED", "DURATION"]
            let keys = ["id", "runbook", "status", "incident", "started", "duration"]
            let table = rows.map { row in keys.map { row[$0].map { $0 == .null ? "-" : $0.stringValue } ?? "-" } }
            console.write(TextTable(header: header, rows: table).rendered)
        }
    }
}

/// Durations read off a run's timestamps.
enum RunTiming {
    /// From the start to the end (or to `now` while it runs), in milliseconds.
    static func duration(_ state: RunState, alive: Bool, now: Date) -> Double? {
        guard let start = parse(state.startedAt) else { return nil }
        let end = state.finishedAt.flatMap(parse) ?? (state.recordedStatus == nil && alive ? now : nil)
            ?? state.events.last.flatMap { parse($0.timestamp) }
        return end.map { $0.timeIntervalSince(start) * 1_000 }
    }

    static func parse(_ text: String) -> Date? { Timestamp.parse(text) }
}
