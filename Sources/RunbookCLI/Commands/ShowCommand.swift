import ArgumentParser
import RunbookLanguage

/// `runbook show NAME`: the plan of a runbook.
struct ShowCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a runbook's plan: inputs, triggers, and steps in execution order with needs, conditions, "
            + "gates, kind and timeouts.")

    @OptionGroup var options: LibraryOptions

    @Argument(help: "The runbook's name (or its file).")
    var name: String

    @Option(name: .long, help: "text, or json for the plan as one object (expressions as written).")
    var output: OutputFormat = .text

    func run(in context: CommandContext) throws {
        let console = context.console
        let runbook = try options.load(name, context: context)
        switch output {
        case .json:
            console.write(PlanDocument(catalog: .builtin).value(runbook).jsonString(pretty: true) + "\n")
        case .text:
            console.write(PlanRenderer(catalog: .builtin, colors: console.colorsOutput, paint: console.paint)
                .render(runbook))
        }
    }
}
