import Foundation
import Mustache

/// Where a template comes from: a file the user named, `templates/` beside the configuration, or the copy built into
/// the binary.
public struct TemplateSource: Sendable {
    /// Where it was found, for messages: a path, or `built-in NAME`.
    public let origin: String
    /// The template's text.
    public let text: String

    /// Creates a source from text.
    public init(origin: String, text: String) {
        self.origin = origin
        self.text = text
    }

    /// The template the user named with `--template FILE`.
    /// - Throws: ``ReportError`` (invalid input) when it cannot be read.
    public static func file(_ path: String) throws(ReportError) -> TemplateSource {
        do {
            return TemplateSource(origin: path, text: try String(contentsOfFile: path, encoding: .utf8))
        } catch {
            throw ReportError(.invalidInput, "cannot read the template '\(path)': \(error.localizedDescription)")
        }
    }

    /// The template called `name` (`timeline.md`): `DIRECTORY/NAME.mustache` when `directory` holds it, else the
    /// built-in copy.
    /// - Throws: ``ReportError`` (invalid input) when the file exists but cannot be read.
    public static func named(_ name: String, in directory: String?) throws(ReportError) -> TemplateSource {
        if let directory {
            let path = (directory as NSString).appendingPathComponent(name + ".mustache")
            if FileManager.default.fileExists(atPath: path) { return try file(path) }
        }
        return builtIn(name)
    }

    /// The copy of `templates/NAME.mustache` built into the binary.
    public static func builtIn(_ name: String) -> TemplateSource {
        TemplateSource(origin: "built-in \(name)", text: BundledTemplates.all[name] ?? "")
    }

    /// The parsed template.
    /// - Throws: ``ReportError`` (invalid input) naming the file, line and column of a syntax error.
    func compiled() throws(ReportError) -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            throw ReportError(
                .invalidInput,
                "\(origin):\(error.context.lineNumber):\(error.context.columnNumber): the template does not parse: "
                    + "\(error.error)",
                hint: "check the tags around that place: every {{#section}} needs its {{/section}}")
        } catch {
            throw ReportError(.invalidInput, "\(origin): the template does not parse: \(error)")
        }
    }
}
