import RunbookLanguage
import RunbookStore

/// A timeline: everything the documents show about a run or an incident, folded from its events.
///
/// ``value`` is the one representation: ``TimelineRenderer`` prints it as the JSON format and hands it to the
/// Mustache templates. Its fields are documented in `docs/timeline.md` and `docs/timeline.schema.json`.
public struct Timeline: Sendable {
    /// The version of the JSON document's shape; it changes only when a field is removed or changes meaning.
    public static let formatVersion = 1

    /// What it covers.
    public let scope: TimelineScope
    /// The document's data.
    public let value: Value
    /// How many events it holds.
    public let eventCount: Int

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
        self.eventCount = events.count
        self.value = builder.finish(chain: chain)
    }
}
