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

    func run(in context: CommandContext) throws {
        let console = context.console
        let runbook = try options.load(name, context: context)
        console.write(PlanRenderer(catalog: .builtin, colors: console.colorsOutput, paint: console.paint).render(runbook))
    }
}
