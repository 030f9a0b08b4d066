/// The documents `runbook timeline` writes.
public enum TimelineFormat: String, Sendable, CaseIterable {
    /// A Markdown timeline.
    case md
    /// The stable machine interface, written by the encoder (no template).
    case json
    /// One row per event.
    case csv
    /// One self-contained page, for screens and print.
    case html
    /// A postmortem draft in Markdown: the facts filled in, the judgement left as prompts.
    case postmortem

    /// The name of its template (`templates/NAME.mustache`); nil for JSON.
    public var templateName: String? {
        switch self {
        case .md: "timeline.md"
        case .json: nil
        case .csv: "timeline.csv"
        case .html: "timeline.html"
        case .postmortem: "postmortem.md"
        }
    }
}
