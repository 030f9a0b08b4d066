import ArgumentParser
import RunbookLanguage

/// `runbook list`: the runbooks in the library with title, severity, RTO and triggers.
struct ListCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the runbooks: name, title, severity, RTO and trigger count.")

    @OptionGroup var options: LibraryOptions

    @Option(name: .long, help: "text or json.")
    var output: OutputFormat = .text

    func run(in context: CommandContext) throws {
        let console = context.console
        let files: [String]
        do {
            files = try options.library(environment: context.environment.all).files()
        } catch {
            throw CommandFailure(error.message, hint: error.hint, status: .invalid)
        }
        let loader = RunbookLoader()
        var runbooks: [Runbook] = []
        var invalid: [String] = []
        for file in files {
            switch loader.load(path: file) {
            case .success(let runbook): runbooks.append(runbook)
            case .failure: invalid.append(file)
            }
        }
        switch output {
        case .json:
            console.write(Value.array(runbooks.map(summary)).jsonString(pretty: true) + "\n")
        case .text:
            let rows = runbooks.map { runbook in
                [runbook.name, runbook.title ?? "", runbook.severity.description,
                 runbook.rto.map(DurationSyntax.format) ?? "-", "\(runbook.triggers.count)"]
            }
            console.write(TextTable(header: ["NAME", "TITLE", "SEVERITY", "RTO", "TRIGGERS"], rows: rows).rendered)
        }
        for file in invalid {
            console.error("\(file) is invalid and not listed", hint: "run 'runbook validate \(file)' to see why")
        }
        if !invalid.isEmpty { throw ExitCode(ExitStatus.invalid.rawValue) }
    }

    private func summary(_ runbook: Runbook) -> Value {
        .object([
            "name": .string(runbook.name),
            "title": runbook.title.map(Value.string) ?? .null,
            "description": runbook.description.map(Value.string) ?? .null,
            "owner": runbook.owner.map(Value.string) ?? .null,
            "severity": .string(runbook.severity.description),
            "rto": runbook.rto.map { .string(DurationSyntax.format($0)) } ?? .null,
            "triggers": .number(Double(runbook.triggers.count)),
            "tags": .array(runbook.tags.map(Value.string)),
            "steps": .number(Double(runbook.steps.count)),
            "file": .string(runbook.file),
        ])
    }
}

/// The formats of commands that print data.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
