import ArgumentParser
import RunbookEngine
import RunbookStore

/// `runbook log RUN`: a run's events, as they were recorded; `--follow` waits for more until the run ends.
struct LogCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Print a run's events; --follow keeps printing until the run ends.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The run's id.")
    var run: String

    @Flag(name: .shortAndLong, help: "Keep printing new events until the run ends.")
    var follow = false

    @Option(name: .long, help: "text, or json for NDJSON exactly as stored.")
    var output: OutputFormat = .text

    /// How long `--follow` waits for the log to grow before it checks that the run's process is still alive.
    static let livenessInterval: Duration = .seconds(1)

    func run(in context: CommandContext) async throws {
        let console = context.console
        let workspace = try Workspace(options: storeOptions, context: context)
        let store = try workspace.readStore()
        // The run's full id: the argument may be a prefix of it, or @last.
        let run = try await workspace.runState(self.run, store: store).id
        let formatter = EventFormatter(colors: console.colorsOutput)
        // `seen`: the run's newest event printed. `horizon`: the log's head when the run's events were last read,
        // which every later event of any run follows; waiting past it wakes for the run's next event at once.
        var seen: Int64 = 0
        var horizon: Int64 = 0
        while true {
            let events: [AuditEvent]
            do throws(StoreError) {
                if follow { horizon = try await store.head()?.seq ?? 0 }
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
                // Exit 1: what was followed did not end, which a script waiting on `log -f` must not take for success.
                throw CommandFailure("run \(run) is not running (interrupted?); 'runbook status \(run)' tells more",
                                     status: .stepFailed)
            }
            do throws(StoreError) {
                _ = try await store.waitForEvents(after: max(horizon, seen), timeout: Self.livenessInterval)
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
            try Task.checkCancellation()
        }
    }
}
