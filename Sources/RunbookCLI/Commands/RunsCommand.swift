import Foundation
import ArgumentParser
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// `runbook runs`: recent runs with their status.
struct RunsCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List recent runs: id, runbook, status, incident, start and duration.",
        discussion: """
            A run parked at a gate shows as 'waiting' ('runbook gates' lists its gates). Everywhere a command takes a
            RUN, a unique prefix of its id and @last (your newest run) work too.

            Examples:
              runbook runs --status waiting
              runbook runs --runbook api-down --since 2h
              runbook runs --incident INC-4711 --output json
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: "How many runs to show.")
    var limit = 20

    @Option(name: .long, help: "Only runs with this status: running, waiting, interrupted, succeeded, failed, denied, cancelled.")
    var status: String?

    @Option(name: .long, help: "Only runs of this runbook.")
    var runbook: String?

    @Option(name: .long, help: "Only runs of this incident.")
    var incident: String?

    @Option(name: .long, help: "Only runs started since then: a duration ago (2h) or an RFC 3339 time.")
    var since: String?

    @Option(name: .long, help: "text or json.")
    var output: OutputFormat = .text

    func run(in context: CommandContext) async throws {
        let console = context.console
        let workspace = try Workspace(options: storeOptions, context: context)
        let now = context.now()
        let earliest = try since.map { try RunSetup.parseSince($0, now: now) }.flatMap(Timestamp.parse)
        guard let store = try workspace.openExistingStore() else {
            console.writeError(workspace.noStoreYet + "\n")
            return write([], console: console)
        }
        var states: [(state: RunState, status: String)] = []
        let filtered = status != nil || runbook != nil || incident != nil || earliest != nil
        do throws(StoreError) {
            // With a filter, look further back than the runs shown, so that `--limit` counts the runs that match.
            for id in try await store.recentRuns(limit: filtered ? max(limit, Workspace.resolvableRuns) : limit) {
                if states.count >= limit { break }
                guard let state = RunState(events: try await store.events(run: id)) else { continue }
                let shown = Self.status(of: state, alive: workspace.isAlive(state.id))
                if let status, shown != status { continue }
                if let runbook, state.runbook != runbook { continue }
                if let incident, state.incident != incident { continue }
                if let earliest, (Timestamp.parse(state.startedAt) ?? .distantPast) < earliest { continue }
                states.append((state, shown))
            }
        } catch {
            throw CommandFailure(error.message, status: .internalError)
        }
        let rows = states.map { state, status -> [String: Value] in
            [
                "id": .string(state.id), "runbook": .string(state.runbook),
                "status": .string(status),
                "incident": state.incident.map(Value.string) ?? .null, "started": .string(state.startedAt),
                "duration": RunTiming.duration(state, alive: workspace.isAlive(state.id), now: now).map { .string(formatMilliseconds($0)) } ?? .null,
            ]
        }
        if rows.isEmpty, output == .text {
            console.writeError((filtered ? "no run matches in " : "no runs in ") + workspace.storeDescription + "\n")
        }
        write(rows, console: console)
    }

    /// Prints `rows` as the table or the JSON list.
    private func write(_ rows: [[String: Value]], console: Console) {
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

    /// The status a run shows: its own, or `waiting` while it runs and a step waits at a gate.
    static func status(of state: RunState, alive: Bool) -> String {
        let status = state.status(ownerAlive: alive)
        guard status == .running, state.steps.values.contains(where: \.gateWaiting) else { return status.rawValue }
        return "waiting"
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
