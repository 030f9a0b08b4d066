import ArgumentParser
import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// `runbook status RUN`: each step's outcome and duration, and what the run is waiting for.
struct StatusCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show a run's status: each step's outcome and duration, gates waiting.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The run's id.")
    var run: String

    @Option(name: .long, help: "text or json.")
    var output: OutputFormat = .text

    func run(in context: CommandContext) async throws {
        let console = context.console
        let workspace = try Workspace(options: storeOptions, context: context)
        let (_, state) = try await workspace.open(run: run)
        // The run's full id: the argument may be a prefix of it, or @last.
        let run = state.id
        let alive = workspace.isAlive(run)
        let status = state.status(ownerAlive: alive)
        let holder = state.recordedStatus == nil ? workspace.leaseHolder(run) : nil
        let lapse = holder?.lapse(held: alive, now: context.now())
        let steps = state.stepOrder.compactMap { state.steps[$0] }
        if output == .json {
            let value: Value = [
                "id": .string(state.id), "runbook": .string(state.runbook), "status": .string(status.rawValue),
                "incident": state.incident.map(Value.string) ?? .null, "started": .string(state.startedAt),
                "finished": state.finishedAt.map(Value.string) ?? .null,
                "runner": holder.map { holder in
                    [
                        "host": .string(holder.host), "pid": .number(Double(holder.pid)),
                        "boot_id": .string(holder.bootID), "heartbeat": .string(Timestamp.format(holder.heartbeat)),
                        "lease": lapse == nil ? "held" : "lapsed", "lapsed_because": lapse.map(Value.string) ?? .null,
                    ]
                } ?? .null,
                "steps": .array(steps.map { step in
                    [
                        "id": .string(step.id),
                        "outcome": .string(step.outcome?.rawValue ?? (step.gateWaiting ? "waiting" : "running")),
                        "conclusion": step.conclusion.map { .string($0.rawValue) } ?? .null,
                        "duration_ms": step.durationMilliseconds.map { .number(Double($0)) } ?? .null,
                        "attempts": .number(Double(step.attempts)),
                        "error": step.error.map(Value.string) ?? .null,
                    ]
                }),
            ]
            console.write(value.jsonString(pretty: true) + "\n")
            return
        }
        let visible = { (text: String) in VisibleText.escaped(text) }
        var out = "\(visible(state.id))  \(visible(state.runbook))  \(status.rawValue)"
        if let incident = state.incident { out += "  incident \(visible(incident))" }
        out += "\n  started \(visible(state.startedAt))"
        if let duration = RunTiming.duration(state, alive: status == .running, now: context.now()) { out += ", \(formatMilliseconds(duration))" }
        out += " · by \(visible(state.actor?.id ?? "?"))\n"
        if let holder { out += "  " + Self.runner(holder, lapse: lapse, now: context.now()) + "\n" }
        out += "\n"
        let rows = steps.map { step -> [String] in
            let outcome = step.outcome?.rawValue ?? (status == .interrupted ? "interrupted"
                : (step.gateWaiting ? "waiting at gate" : "running"))
            return [step.id, outcome, step.durationMilliseconds.map { formatMilliseconds(Double($0)) } ?? "-",
                    "\(step.attempts)", step.error ?? ""]
        }
        out += TextTable(header: ["STEP", "OUTCOME", "DURATION", "ATTEMPTS", "ERROR"], rows: rows).rendered
        if status == .interrupted {
            let running = state.unfinishedSteps.map { visible($0.id) }
            out += "\nThe run was interrupted" + (running.isEmpty ? "" : " while running \(running.joined(separator: ", "))")
                + ". Continue it with: runbook resume \(visible(state.id))\n"
        }
        for step in steps where step.gateWaiting && status == .running {
            out += "\nWaiting at the gate of \(visible(step.id)): runbook approve \(visible(state.id)) \(visible(step.id))"
                + "   (or runbook deny)\n"
        }
        console.write(out)
    }

    /// `runner api-1 pid 4242, heartbeat 1s ago`, or `runner api-1 pid 4242: lease lapsed 2m ago: runner gone`.
    static func runner(_ holder: RunLeaseHolder, lapse: String?, now: Date) -> String {
        let age = max(0, now.timeIntervalSince(holder.heartbeat))
        let ago = formatMilliseconds(age.rounded() * 1_000) + " ago"
        let who = "runner \(VisibleText.escaped(holder.host)) pid \(holder.pid)"
        guard lapse != nil else { return who + ", heartbeat " + ago }
        return who + ": lease lapsed " + ago + ": runner gone"
    }
}
