import ArgumentParser
import RunbookEngine
import RunbookStore

/// `runbook log RUN`: a run's events, as they were recorded; `--follow` waits for more until the run ends.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Print a run's events; --follow keeps printing until the run ends.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The run's id.")
    var run: String

    @Flag(name: .shortAndLong, help: "Keep printing new events until the run ends.")
    var follow = false

    @Option(name: .long, help: "text, or json for NDJSON exactly as stored.")
    var output: OutputFormat = .text

    func run() async throws {
        let console = Console.standard
        let workspace = try Workspace(options: storeOptions, console: console)
        let store = try workspace.openStore()
        _ = try await workspace.runState(run, store: store)
        let formatter = EventFormatter(colors: console.colorsOutput)
        var seen: Int64 = 0
        while true {
            let events: [AuditEvent]
            do throws(StoreError) {
                events = try await store.events(run: run, after: seen, types: nil)
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
            for event in events {
                seen = event.seq
                if output == .json {
                    console.write(event.line + "\n")
                } else {
                    let time = event.timestamp.dropFirst(11).prefix(8)
                    for (index, line) in formatter.lines(for: event).enumerated() {
                        console.write((index == 0 ? "\(time) " : "         ") + line + "\n")
                    }
                }
            }
            guard follow, !events.contains(where: { $0.type == EventType.runFinished }) else { return }
            if !workspace.isAlive(run), events.isEmpty {
                console.error("run \(run) is not running (interrupted?); 'runbook status \(run)' tells more")
                return
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
