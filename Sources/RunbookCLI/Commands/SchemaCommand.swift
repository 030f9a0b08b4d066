import ArgumentParser
import RunbookLanguage

/// `runbook schema`: the JSON Schema of the runbook format, for editors.
struct SchemaCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the runbook format, for editors' YAML support.")

    func run(in context: CommandContext) throws {
        context.console.write(RunbookSchema.document(catalog: .builtin).jsonString(pretty: true) + "\n")
    }
}
