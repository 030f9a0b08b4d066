import RunbookStore
import Synchronization

/// Step ends the scheduler holds back so they are committed together with the next step's start: a sequential
/// runbook then pays one durable commit per step instead of two.
///
/// A held event is still durable before anything acts on it: the scheduler holds an end only when the one step it
/// just launched will record (and so commit the held events first) before doing anything, and commits them itself
/// otherwise before waiting.
final class HeldEvents: Sendable {
    private let drafts = Mutex<[EventDraft]>([])

    /// Holds `draft` back until the next commit.
    func hold(_ draft: EventDraft) {
        drafts.withLock { $0.append(draft) }
    }

    /// Everything held, in order, now no longer held.
    func take() -> [EventDraft] {
        drafts.withLock { drafts in
            defer { drafts.removeAll(keepingCapacity: true) }
            return drafts
        }
    }

    /// Whether nothing is held.
    var isEmpty: Bool { drafts.withLock { $0.isEmpty } }
}
