import Mustache
import RunbookLanguage

/// An object of the timeline as Mustache sees it: members by name, plus derived escaped text.
///
/// For any member `x` holding text or a number, `x_md` is it escaped for Markdown (``TextEscaping/markdown(_:)``) and
/// `x_csv` is it as one CSV field (``TextEscaping/csv(_:)``), computed only when a template asks, so rendering stays
/// lean. Strings and numbers render as text, booleans open sections, arrays iterate, objects nest. A null member is
/// empty and closes its section; it does not fall back to a member of the same name further out (only a member that
/// does not exist at all does, as Mustache's rules say).
struct TemplateNode: MustacheParent {
    /// The object's members.
    let members: [String: Value]

    func child(named name: String) -> Any? {
        if let value = members[name] { return Self.wrap(value) }
        if name.hasSuffix("_md") { return derived(from: name.dropLast(3), TextEscaping.markdown) }
        if name.hasSuffix("_csv") { return derived(from: name.dropLast(4), TextEscaping.csv) }
        return nil
    }

    /// `escape` of the text of member `name`; empty when that member is null, nil when there is no such member.
    private func derived(from name: Substring, _ escape: (String) -> String) -> Any? {
        switch members[String(name)] {
        case nil: nil
        case .string(let text): escape(text)
        case .number(let number): escape(Value.number(number).stringValue)
        case .bool(let flag): escape(flag ? "true" : "false")
        default: NullValue()
        }
    }

    /// `value` as Mustache renders it.
    static func wrap(_ value: Value) -> Any {
        switch value {
        case .null: NullValue()
        case .bool(let flag): flag
        case .number: value.stringValue
        case .string(let text): text
        case .array(let elements): elements.map(wrap)
        case .object(let members): TemplateNode(members: members)
        }
    }
}

/// A null member: renders as nothing, opens no section and opens inverted ones, without Mustache looking further out.
struct NullValue: MustacheCustomRenderable {
    var renderText: String { "" }
    var isNull: Bool { true }
}
