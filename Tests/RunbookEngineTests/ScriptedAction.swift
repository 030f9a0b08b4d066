import RunbookActions
import RunbookLanguage
import Synchronization

/// A test's own action, registered by name beside the built-in ones: each call notes `STEP start` and then
/// `STEP end`, `STEP failed` or `STEP cancelled` in the journal, and in between does what the test scripted.
struct ScriptedAction: Action {
    /// One call of the action.
    struct Call: Sendable {
        /// What the engine passed.
        let context: ActionContext
        /// Which try of its step this is, from 1.
        let attempt: Int
        /// The step's id.
        var step: String { context.stepID }
    }

    /// What a call does.
    typealias Body = @Sendable (Call) async throws(ActionFailure) -> [String: Value]

    let spec: ActionSpec
    private let journal: Journal
    private let body: Body
    private let prepares: Bool
    private let calls = Calls()

    /// An action called `name` doing `body`; with `prepares`, its first try is a prepared attempt that notes
    /// `STEP let go` when the engine lets it act.
    init(_ name: String, journal: Journal, mutating: Bool = false, prepares: Bool = false, _ body: @escaping Body) {
        spec = ActionSpec(name: name, summary: "A scripted test action.", mutating: mutating, defaultTimeout: nil,
                          parameters: [.optional("value", .string, "Anything the script reads.")], outputs: nil)
        self.journal = journal
        self.prepares = prepares
        self.body = body
    }

    func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let attempt = calls.next(of: context.stepID)
        journal.note("\(context.stepID) start")
        do {
            let outputs = try await body(Call(context: context, attempt: attempt))
            journal.note("\(context.stepID) end")
            return outputs
        } catch {
            journal.note("\(context.stepID) \(error.code == .cancelled ? "cancelled" : "failed")")
            throw error
        }
    }

    func prepare(_ context: ActionContext) throws(ActionFailure) -> (any PreparedAttempt)? {
        prepares ? Prepared(action: self, context: context) : nil
    }

    /// The calls made so far, by step.
    private final class Calls: Sendable {
        private let counts = Mutex<[String: Int]>([:])

        /// Counts a call for `step` and returns its number, from 1.
        func next(of step: String) -> Int {
            counts.withLock { counts in
                counts[step, default: 0] += 1
                return counts[step, default: 0]
            }
        }
    }

    /// A first try that acts only once the engine lets it go.
    private struct Prepared: PreparedAttempt {
        let action: ScriptedAction
        let context: ActionContext
        private let letGo = Latch()

        init(action: ScriptedAction, context: ActionContext) {
            self.action = action
            self.context = context
        }

        func start() {
            action.journal.note("\(context.stepID) let go")
            letGo.open()
        }

        func finish() async throws(ActionFailure) -> [String: Value] {
            await letGo.wait()
            return try await action.execute(context)
        }

        func abandon() async {
            action.journal.note("\(context.stepID) abandoned")
        }
    }
}

extension ScriptedAction {
    /// Waits until the task is cancelled (a minute at most), then fails as an action stopped by cancellation does.
    static func untilCancelled() async throws(ActionFailure) -> [String: Value] {
        do {
            try await Task.sleep(for: .seconds(60))
        } catch {
            throw ActionFailure.cancelled()
        }
        throw ActionFailure("was never cancelled")
    }
}
