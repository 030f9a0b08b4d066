import Foundation
import Yams

/// Turns runbook YAML into a checked `Runbook`, or every problem in it at once.
public struct RunbookLoader: Sendable {
    /// The actions steps may name.
    public let catalog: ActionCatalog

    /// The top-level keys of a runbook.
    static let topLevelKeys = [
        "name", "title", "description", "owner", "severity", "rto", "tags", "inputs", "triggers", "steps",
    ]

    /// Creates a loader that checks steps against `catalog`.
    public init(catalog: ActionCatalog = .builtin) {
        self.catalog = catalog
    }

    /// Reads and checks the file at `path`.
    public func load(path: String) -> Result<Runbook, ValidationFailure> {
        let location = SourceLocation(file: path, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            return .failure(ValidationFailure([Diagnostic(location, "the file \(reason)")]))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            return .failure(ValidationFailure([Diagnostic(
                location, "the file is not UTF-8 text", hint: "a runbook is a YAML file; save it as UTF-8")]))
        }
        return load(text: text, file: path)
    }

    /// Checks the runbook written in `text`, naming `file` in diagnostics and comparing its name with it.
    public func load(text: String, file: String) -> Result<Runbook, ValidationFailure> {
        var reader = DocumentReader(file: file, source: SourceText(text))
        guard let root = YAMLComposer.compose(text, file: file, into: &reader) else {
            return .failure(ValidationFailure(reader.diagnostics))
        }
        let runbook = read(root, reader: &reader)
        if let runbook {
            reader.diagnostics += RunbookChecker(catalog: catalog).check(runbook)
        }
        guard var runbook, !reader.diagnostics.contains(where: { $0.kind == .error }) else {
            return .failure(ValidationFailure(reader.diagnostics))
        }
        runbook.warnings = reader.diagnostics.sorted { $0.location < $1.location }
        return .success(runbook)
    }

    private func read(_ root: Node, reader: inout DocumentReader) -> Runbook? {
        guard let entries = reader.mapping(root, "a runbook") else { return nil }
        reader.checkKeys(entries, allowed: Self.topLevelKeys, in: "a runbook")
        let file = reader.file
        var runbook = Runbook(
            file: file, name: "", title: nil, description: nil, owner: nil, tags: [], severity: .default, rto: nil,
            inputs: [], triggers: [], steps: [], source: reader.source)
        var sawName = false
        var sawSteps = false
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "name":
                sawName = true
                if let name = reader.text(value, "'name'") {
                    runbook.name = name
                    checkName(name, at: reader.location(value), reader: &reader)
                }
            case "title": runbook.title = reader.text(value, "'title'")
            case "description": runbook.description = reader.text(value, "'description'")
            case "owner": runbook.owner = reader.text(value, "'owner'")
            case "tags": runbook.tags = reader.stringList(value, "'tags'")?.map(\.value) ?? []
            case "severity":
                if let text = reader.text(value, "'severity'") {
                    if let severity = Severity(parsing: text) {
                        runbook.severity = severity
                    } else {
                        reader.error(reader.location(value),
                                     "unknown severity '\(text)'; use \(Severity.spellings)")
                    }
                }
            case "rto": runbook.rto = reader.duration(value, "'rto'")
            case "inputs": runbook.inputs = InputReader.read(value, reader: &reader)
            case "triggers": runbook.triggers = TriggerReader.read(value, reader: &reader)
            case "steps":
                sawSteps = true
                runbook.steps = StepReader(catalog: catalog).read(value, reader: &reader)
            default: break
            }
        }
        let start = reader.location(root)
        if !sawName {
            reader.error(start, "missing required key 'name'",
                         hint: "add 'name: \(Self.expectedName(for: file))' at the top of the file")
        }
        if !sawSteps { reader.error(start, "missing required key 'steps'", hint: "a runbook needs at least one step") }
        return runbook
    }

    private func checkName(_ name: String, at location: SourceLocation, reader: inout DocumentReader) {
        if !Identifier.isRunbookName(name) {
            reader.error(location, "invalid runbook name '\(name)': use lowercase letters, digits and '-', "
                         + "starting with a letter or digit")
        }
        let expected = Self.expectedName(for: reader.file)
        if name != expected {
            reader.error(location, "the runbook's name '\(name)' does not match its file name '\(expected)'",
                         hint: "rename the file to '\(name).yaml' or set 'name: \(expected)'")
        }
    }

    /// The name a runbook in `file` must have: the file name without `.yaml` or `.yml`.
    static func expectedName(for file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        for suffix in [".yaml", ".yml"] where base.hasSuffix(suffix) {
            return String(base.dropLast(suffix.count))
        }
        return base
    }
}
