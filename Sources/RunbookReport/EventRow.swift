import RunbookLanguage
import RunbookStore

/// One event of a timeline, whose fields are computed when asked for: a template that shows four of them for
/// 100,000 events computes only those. A class, so that reading a field never copies the stored event.
final class EventRow: Sendable {
    /// The stored event.
    let event: AuditEvent
    /// When it was stored.
    let time: Moment
    /// What it is about, for colour marks.
    let kind: EventKind
    /// Whether it records something that went wrong.
    let failed: Bool

    init(event: AuditEvent, time: Moment, kind: EventKind, failed: Bool) {
        self.event = event
        self.time = time
        self.kind = kind
        self.failed = failed
    }

    /// Its fields, as the JSON and the templates name them.
    enum Field: String, CaseIterable {
        case seq, ts, time, run, incident, type, step, actor
        case actorKind = "actor_kind"
        case kind, failed, significant, summary, hash, data

        /// The fields by name: one hash lookup per template variable, rather than comparing names in turn.
        static let byName = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
    }

    /// A field by name; nil for a name it does not have.
    func field(_ name: String) -> Value? {
        Field.byName[name].map(field)
    }

    /// A field.
    func field(_ field: Field) -> Value {
        switch field {
        case .seq: .number(Double(event.seq))
        case .ts: .string(event.timestamp)
        case .time: time.value
        case .run: .string(event.run)
        case .incident: event.incident.value
        case .type: .string(event.type)
        case .step: event.step.value
        case .actor: (event.actor?.id).value
        case .actorKind: (event.actor?.kind).value
        case .kind: .string(kind.rawValue)
        case .failed: .bool(failed)
        case .significant: .bool(kind.isSignificant(event))
        case .summary: .string(EventSummary.line(for: event))
        case .hash: .string(event.hash)
        case .data: event.data
        }
    }

    /// The event as the JSON has it.
    var value: Value {
        var members: [String: Value] = [:]
        for field in Field.allCases { members[field.rawValue] = self.field(field) }
        return .object(members)
    }
}
