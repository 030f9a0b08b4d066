import ArgumentParser
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// `runbook note RUN TEXT` or `runbook note --incident ID TEXT`: a note in the audit log, for the timeline.
struct NoteCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Add a note to a run or an incident, with you as its author, for the timeline and postmortem.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: "The incident to note (instead of a run).")
    var incident: String?

    @Argument(help: "The run's id (omit with --incident), then the note's text.")
    var words: [String] = []

    @Option(name: .long, help: "text, or json for the recorded note: run, incident, author, text, seq.")
    var output: OutputFormat = .text

    func run(in context: CommandContext) async throws {
        let workspace = try Workspace(options: storeOptions, context: context)
        let store = try workspace.readStore()
        var words = self.words
        let run: String
        let incident: String?
        if let explicit = self.incident {
            try await Self.requireKnown(explicit, workspace: workspace, store: store)
            run = explicit
            incident = explicit
        } else {
            guard words.count >= 2 else {
                throw CommandFailure("give a run id and the note's text", hint: "runbook note RUN \"text\" "
                                     + "or runbook note --incident ID \"text\"", status: .invalid)
            }
            let state = try await workspace.runState(words.removeFirst(), store: store)
            run = state.id
            incident = state.incident
        }
        let text = words.joined(separator: " ")
        guard !text.trimmingSpaces.isEmpty else {
            throw CommandFailure("the note is empty", hint: "write its text after the run id", status: .invalid)
        }
        let masked = Redactor(secrets: workspace.config.secrets).redact(text)
        let recorded: [AuditEvent]
        do throws(StoreError) {
            recorded = try await store.append([EventDraft(
                run: run, incident: incident, actor: .user(workspace.user), NoteAdded(text: masked))])
        } catch {
            throw CommandFailure(error.message, status: .internalError)
        }
        if output == .json {
            context.console.write(Value.object([
                "run": self.incident == nil ? .string(run) : .null, "incident": incident.map(Value.string) ?? .null,
                "author": .string(workspace.user), "text": .string(masked),
                "seq": recorded.first.map { .number(Double($0.seq)) } ?? .null,
            ]).jsonString(pretty: true) + "\n")
            return
        }
        let noted = self.incident.map { "incident \($0)" } ?? "run \(run)"
        context.console.write(VisibleText.escaped("noted on \(noted) as \(workspace.user)") + "\n")
    }

    /// Refuses (exit 2) an incident nothing in the store belongs to, a typo most likely, naming the nearest incident of
    /// the recent runs: a note on it would be in no timeline anyone renders.
    private static func requireKnown(_ incident: String, workspace: Workspace, store: any EventStore) async throws {
        var recent: [String] = []
        do throws(StoreError) {
            guard try await store.events(incident: incident).isEmpty else { return }
            for run in try await store.recentRuns(limit: 50) {
                let started = try await store.events(run: run, after: 0, types: [EventType.runStarted]).first
                if let known = started?.incident, !recent.contains(known) { recent.append(known) }
            }
        } catch {
            throw CommandFailure(error.message, status: .internalError)
        }
        throw CommandFailure(
            "no incident '\(incident)' in \(workspace.storeDescription)" + NearestName.didYouMean(incident, among: recent),
            hint: "'runbook runs' shows each run's incident; note a run with 'runbook note RUN \"text\"'",
            status: .invalid)
    }
}
