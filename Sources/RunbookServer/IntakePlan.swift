import RunbookEngine
import RunbookLanguage
import RunbookStore

/// What one webhook's alerts come to: the events that record them (appended, durably, before the webhook is
/// answered), the runs to start once they are, and a summary for the answer.
struct IntakePlan: Sendable {
    /// The events to append, in order, as one unit.
    var drafts: [EventDraft] = []
    /// The runs to start once the drafts are durable.
    var starts: [RunOptions] = []
    /// The deduplication keys of the runs this plan opens (forgotten again if the append fails).
    var opened: [String] = []
    /// The newest run of each opened key before this plan, restored if the append fails.
    var previous: [String: String?] = [:]
    /// One entry per alert, for the webhook's answer.
    var summary: [Value] = []
}
