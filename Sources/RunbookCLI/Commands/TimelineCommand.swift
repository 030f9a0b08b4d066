import ArgumentParser
import Foundation
import RunbookReport

/// `runbook timeline RUN` or `runbook timeline --incident ID`: a run's or an incident's timeline, or its postmortem
/// draft, from the audit log, after verifying the chain.
struct TimelineCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Write a run's or an incident's timeline (Markdown, JSON, CSV, HTML) or its postmortem draft.",
        discussion: """
            The audit chain is verified first: a broken chain is refused (exit 1) unless --allow-unverified,
            and then the document says so. Templates: --template FILE, else templates/NAME.mustache beside
            runbook.config.yaml, else the built-in ones. See docs/timeline.md.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The run's id (or use --incident).")
    var run: String?

    @Option(name: .long, help: "The incident: every run of it, its alerts and notes, in time order.")
    var incident: String?

    @Option(name: .long, help: "md, json, csv, html, or postmortem (a postmortem draft in Markdown).")
    var format: Format = .md

    @Option(name: .long, help: "A Mustache template to render instead of the format's own (not for json).")
    var template: String?

    @Option(name: .long, help: "Write the document to this file instead of stdout.")
    var out: String?

    @Option(name: .long, help: "The time zone of the times shown: UTC (default), an IANA name such as Asia/Kolkata, or an offset such as +05:30.")
    var tz: String = "UTC"

    @Flag(name: .long, help: "Render even when the audit chain does not verify; the document then says so.")
    var allowUnverified = false

    /// `--format`'s values.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, json, csv, html, postmortem

        var timelineFormat: TimelineFormat {
            switch self {
            case .md: .md
            case .json: .json
            case .csv: .csv
            case .html: .html
            case .postmortem: .postmortem
            }
        }
    }

    func validate() throws {
        guard (run == nil) != (incident == nil) else {
            throw ValidationError("give a run id or --incident ID (one of them)")
        }
    }

    func run(in context: CommandContext) async throws {
        let console = context.console
        let workspace = try Workspace(options: storeOptions, context: context)
        let store = try workspace.readStore()
        do throws(ReportError) {
            let zone = try ReportTimeZone(parsing: tz)
            let userTemplate = try template.map { path throws(ReportError) in try TemplateSource.file(path) }
            let scope: TimelineScope = incident.map(TimelineScope.incident) ?? .run(run ?? "")
            let (events, chain) = try await TimelineSource.load(scope, from: store, allowUnverified: allowUnverified)
            if let failure = chain.failure {
                console.warning("the audit chain does not verify (\(failure)); the document is marked UNVERIFIED")
            }
            let timeline = Timeline(events: events, scope: scope, zone: zone, chain: chain)
            let document = try TimelineRenderer.render(
                timeline, format: format.timelineFormat, template: userTemplate,
                templatesDirectory: workspace.templatesDirectory)
            guard let out else {
                console.write(document)
                return
            }
            do {
                try document.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                throw ReportError(.invalidInput, "cannot write '\(out)': \(error.localizedDescription)")
            }
            console.write("wrote \(out)\n")
        } catch {
            let status: ExitStatus = switch error.code {
            case .invalidInput: .invalid
            case .chainBroken: .stepFailed
            case .store: .internalError
            }
            throw CommandFailure(error.message, hint: error.hint, status: status)
        }
    }
}
