import Mustache
import RunbookLanguage

/// Writes a timeline as a document: JSON through the encoder, every other format through its Mustache template.
public enum TimelineRenderer {
    /// The document.
    /// - Parameters:
    ///   - timeline: What to show.
    ///   - format: The document's format.
    ///   - template: The template to use instead of the format's own; not allowed for JSON.
    ///   - templatesDirectory: A folder whose `NAME.mustache` files replace the built-in templates.
    /// - Throws: ``ReportError`` (invalid input) when the template cannot be read or parsed, or is given for JSON.
    public static func render(
        _ timeline: Timeline, format: TimelineFormat, template: TemplateSource? = nil,
        templatesDirectory: String? = nil
    ) throws(ReportError) -> String {
        guard let name = format.templateName else {
            if template != nil {
                throw ReportError(
                    .invalidInput, "--template does not apply to --format json, which is written by the encoder",
                    hint: "use --format md, csv, html or postmortem with a template")
            }
            return timeline.value.jsonString(pretty: true) + "\n"
        }
        if let template { return try render(timeline, with: template) }
        return try render(timeline, with: TemplateSource.named(name, in: templatesDirectory))
    }

    /// The timeline rendered with `source`.
    /// - Throws: ``ReportError`` (invalid input) when the template does not parse.
    public static func render(_ timeline: Timeline, with source: TemplateSource) throws(ReportError) -> String {
        HTMLEscaping.register
        return try source.compiled().render(timeline.templateContext)
    }
}
