import ArgumentParser
import RunbookLanguage

/// `runbook show NAME`: the plan of a runbook.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a runbook's plan: inputs, triggers, and steps in execution order with needs, conditions, "
            + "gates, kind and timeouts.")

    @OptionGroup var options: LibraryOptions

    @Argument(help: "The runbook's name (or its file).")
    var name: String

    func run() throws {
        let console = Console.standard
        let runbook = try options.load(name, console: console)
        console.write(PlanRenderer(catalog: .builtin, colors: console.colorsOutput, paint: console.paint).render(runbook))
    }
}
