import Mustache
import RunbookLanguage

/// An object of the timeline as Mustache sees it: members by name, plus derived escaped text.
///
/// For any member `x` holding text or a number, `x_md` is it escaped for Markdown (``TextEscaping/markdown(_:)``) and
/// `x_csv` is it as one CSV field (``TextEscaping/csv(_:)``), computed only when a template asks, so rendering stays
/// lean; events and moments compute their fields only when asked too. Strings and numbers render as text, booleans
/// open sections, arrays iterate, objects nest. A null member is empty and closes its section; it does not fall back
/// to a member of the same name further out (only a member that does not exist at all does, as Mustache's rules say).
struct TemplateNode: MustacheParent {
    /// Where the members come from. Each case holds at most two words, so a node fits in an `Any` without an
    /// allocation of its own (a list of 100,000 events becomes 100,000 small values, not 100,000 boxes).
    enum Source {
        /// A JSON object.
        case object([String: Value])
        /// The document: its members, and the events kept apart.
        case document([String: Value], events: EventTable)
        /// The event at an index.
        case event(EventTable, Int)
        /// The time of the event at an index.
        case time(EventTable, Int)
    }

    /// Where the members come from.
    let source: Source

    func child(named name: String) -> Any? {
        if let member = member(name) { return member }
        if name.hasSuffix("_md") { return derived(from: name.dropLast(3), TextEscaping.markdown) }
        if name.hasSuffix("_csv") { return derived(from: name.dropLast(4), TextEscaping.csv) }
        return nil
    }

    /// The member called `name`, as Mustache renders it; nil when there is none.
    private func member(_ name: String) -> Any? {
        switch source {
        case .object(let members):
            members[name].map(Self.wrap)
        case .document(let members, let events):
            name == "events"
                ? events.rows.indices.map { TemplateNode(source: .event(events, $0)) } : members[name].map(Self.wrap)
        case .event(let events, let index):
            switch name {
            case "time": TemplateNode(source: .time(events, index))
            // Shortcuts for `time.clock` and `time.offset`: one lookup instead of two in a long table.
            case "clock", "offset": events.rows[index].time.field(name).map(TemplateText.init)
            default: events.rows[index].field(name).map(Self.wrap)
            }
        case .time(let events, let index):
            events.rows[index].time.field(name).map(TemplateText.init)
        }
    }

    /// `escape` of the text of member `name`; empty when that member is null, nil when there is no such member.
    private func derived(from name: Substring, _ escape: (String) -> String) -> Any? {
        switch member(String(name)) {
        case let text as TemplateText: TemplateText(escape(text.text))
        case let flag as Bool: TemplateText(flag ? "true" : "false")
        case nil: nil
        default: NullValue()
        }
    }

    /// `value` as Mustache renders it.
    static func wrap(_ value: Value) -> Any {
        switch value {
        case .null: NullValue()
        case .bool(let flag): flag
        case .number: TemplateText(value.stringValue)
        case .string(let text): TemplateText(text)
        case .array(let elements): elements.map(wrap)
        case .object(let members): TemplateNode(source: .object(members))
        }
    }
}

/// A null member: renders as nothing, opens no section and opens inverted ones, without Mustache looking further out.
struct NullValue: MustacheCustomRenderable {
    var renderText: String { "" }
    var isNull: Bool { true }
}

/// The events of a timeline, shared by the template nodes that point into it.
final class EventTable: Sendable {
    /// The events, in order.
    let rows: [EventRow]

    init(_ rows: [EventRow]) {
        self.rows = rows
    }
}

/// Text as Mustache renders it. Being a custom renderable takes the renderer's short path (a third less time per
/// field than a plain `String`); the string transforms (`{{uppercased(name)}}`, `{{#empty(name)}}`) still apply, and
/// `md(name)` and `csv(name)` escape it as `name_md` and `name_csv` do, for an item of a list of text
/// (`{{{md(.)}}}`), which has no name to add a suffix to.
struct TemplateText: MustacheCustomRenderable, MustacheTransformable {
    /// The text.
    let text: String

    init(_ text: String) {
        self.text = text
    }

    var renderText: String { text }
    var isNull: Bool { false }

    func transform(_ name: String) -> Any? {
        switch name {
        case "md": TemplateText(TextEscaping.markdown(text))
        case "csv": TemplateText(TextEscaping.csv(text))
        default: text.transform(name)
        }
    }
}
