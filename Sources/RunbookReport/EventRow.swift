import RunbookLanguage
import RunbookStore

/// One event of a timeline, whose fields are computed when asked for: a template that shows four of them for
/// 100,000 events computes only those.
struct EventRow: Sendable {
    /// The stored event.
    let event: AuditEvent
    /// When it was stored.
    let time: Moment
    /// What it is about, for colour marks.
    let kind: EventKind
    /// Whether it records something that went wrong.
    let failed: Bool

    /// The names of its fields, as the JSON and the templates have them.
    static let fieldNames = [
        "seq", "ts", "time", "run", "incident", "type", "step", "actor", "actor_kind", "kind", "failed", "significant",
        "summary", "hash", "data",
    ]

    /// A field by name; nil for a name it does not have.
    func field(_ name: String) -> Value? {
        switch name {
        case "seq": .number(Double(event.seq))
        case "ts": .string(event.timestamp)
        case "time": time.value
        case "run": .string(event.run)
        case "incident": event.incident.value
        case "type": .string(event.type)
        case "step": event.step.value
        case "actor": (event.actor?.id).value
        case "actor_kind": (event.actor?.kind).value
        case "kind": .string(kind.rawValue)
        case "failed": .bool(failed)
        case "significant": .bool(kind.isSignificant(event))
        case "summary": .string(EventSummary.line(for: event))
        case "hash": .string(event.hash)
        case "data": event.data
        default: nil
        }
    }

    /// The event as the JSON has it.
    var value: Value {
        var members: [String: Value] = [:]
        for name in Self.fieldNames { members[name] = field(name) }
        return .object(members)
    }
}
