import RunbookStore
import Synchronization

/// Events the scheduler holds back so they are committed together with the next one: `run.started` and each step's
/// end go out with the next step's start, the last end with `run.finished`. A sequential runbook of n steps then pays
/// n + 1 durable commits instead of 2n + 2.
///
/// A held event is still durable before anything acts on it: the scheduler holds events only when the one step it
/// just launched will record (and so commit the held events first) before doing anything, or when the run is over,
/// and commits them itself otherwise before waiting.
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
