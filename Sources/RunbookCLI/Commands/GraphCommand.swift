import ArgumentParser
import RunbookLanguage

/// `runbook graph NAME`: the step graph as Mermaid or Graphviz DOT.
struct GraphCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "Print a runbook's step graph as Mermaid or Graphviz DOT.")

    @OptionGroup var options: LibraryOptions

    @Argument(help: "The runbook's name (or its file).")
    var name: String

    @Option(name: .long, help: "mermaid or dot.")
    var format: GraphRenderer.Format = .mermaid

    func run(in context: CommandContext) throws {
        let runbook = try options.load(name, context: context)
        context.console.write(GraphRenderer(catalog: .builtin).render(runbook, as: format))
    }
}

extension GraphRenderer.Format: ExpressibleByArgument {}
