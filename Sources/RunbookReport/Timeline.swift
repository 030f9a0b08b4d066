import RunbookLanguage
import RunbookStore

/// A timeline: everything the documents show about a run or an incident, folded from its events.
///
/// ``value`` is the one representation: ``TimelineRenderer`` prints it as the JSON format, and the Mustache templates
/// see the same fields (computed for each event only when a template asks). They are documented in
/// `docs/timeline.md` and `docs/timeline.schema.json`.
public struct Timeline: Sendable {
    /// The version of the JSON document's shape; it changes only when a field is removed or changes meaning.
    public static let formatVersion = 1

    /// What it covers.
    public let scope: TimelineScope
    /// Everything but the events.
    let document: [String: Value]
    /// The events, in order.
    let events: [EventRow]

    /// Folds `events` (in `seq` order) into a timeline.
    /// - Parameters:
    ///   - events: The events of the run or incident, in order.
    ///   - scope: What they are the events of.
    ///   - zone: The time zone times are shown in.
    ///   - chain: What verifying the audit chain said about them.
    public init(events: [AuditEvent], scope: TimelineScope, zone: ReportTimeZone, chain: ChainStatus) {
        var builder = TimelineBuilder(events: events, scope: scope, zone: zone)
        for event in events { builder.fold(event) }
        self.scope = scope
        (document, self.events) = builder.finish(chain: chain)
    }

    /// The document's data, as the JSON format has it.
    public var value: Value {
        var members = document
        members["events"] = .array(events.map(\.value))
        return .object(members)
    }

    /// The document as Mustache sees it.
    var templateContext: TemplateNode { TemplateNode(source: .document(document, events: EventTable(events))) }
}
