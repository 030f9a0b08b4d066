import Foundation
import Yams

/// Composes YAML text into a node tree, turning every libyaml complaint into a diagnostic.
enum YAMLComposer {
    /// Deepest nesting of collections accepted; deeper documents are refused before they are composed.
    static let maximumNesting = 200

    /// The single document in `text`, or nil with the reason recorded in `reader`.
    static func compose(_ text: String, file: String, into reader: inout DocumentReader) -> Node? {
        let start = SourceLocation(file: file, line: 1, column: 1)
        if let deep = NestingScanner.firstTooDeep(text, limit: maximumNesting) {
            reader.error(SourceLocation(file: file, line: deep.line, column: deep.column),
                         "the document is nested more than \(maximumNesting) levels deep")
            return nil
        }
        do {
            // Nodes are read by DocumentReader with CoreSchema, never by Yams' constructor: an empty one spares
            // every command building Yams' default tables, and .utf8 spares reading YAMS_DEFAULT_ENCODING.
            let parser = try Parser(
                yaml: text, resolver: .basic, constructor: Constructor([:], [:], [:]), encoding: .utf8)
            guard let root = try parser.singleRoot() else {
                reader.error(start, "the file is empty", hint: "a runbook needs at least 'name' and 'steps'")
                return nil
            }
            return root
        } catch let error as YamlError {
            let (location, message) = describe(error, file: file)
            reader.error(location, message)
            return nil
        } catch {
            reader.error(start, "the file is not valid YAML: \(error)")
            return nil
        }
    }

    private static func describe(_ error: YamlError, file: String) -> (SourceLocation, String) {
        let at: (Mark) -> SourceLocation = { SourceLocation(file: file, line: $0.line, column: $0.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return (at(mark), message)
        case .reader(let problem, let offset, _, let yaml):
            let location = offset.map { position(ofByte: $0, in: yaml, file: file) }
                ?? SourceLocation(file: file, line: 1, column: 1)
            return (location, "the file is not readable YAML text: \(problem)")
        default:
            return (SourceLocation(file: file, line: 1, column: 1), "invalid YAML: \(error)")
        }
    }

    private static func position(ofByte offset: Int, in text: String, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index >= offset { break }
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
