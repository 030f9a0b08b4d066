import RunbookLanguage

/// A built-in action: a spec the validator checks steps against, and the code that does the work.
///
/// Adding an action is one file with a type conforming to this protocol, plus its line in `ActionRegistry`.
public protocol Action: Sendable {
    /// The action's name, parameters, kind, default timeout and outputs.
    var spec: ActionSpec { get }
    /// Does the work. Throws `ActionFailure` when the step must fail; the engine handles timeouts by cancelling
    /// the task, so long work must honour cancellation.
    func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value]
    /// What the step would change, read from the live system for the person answering its gate (the backends
    /// `pg.kill` would end, the current desired count before `ecs.scale`); one line each. Called before the gate is
    /// recorded; must not change anything.
    func preview(_ context: ActionContext) async throws(ActionFailure) -> [String]
    /// Gets a step's first attempt ready without acting (a shell started and waiting), so the engine can record the
    /// step's start meanwhile. Returns nil when there is nothing worth preparing; the engine then records the start
    /// and calls ``execute(_:)``. Throws what ``execute(_:)`` would throw for the same problem.
    func prepare(_ context: ActionContext) throws(ActionFailure) -> (any PreparedAttempt)?
    /// The target the step changes, as a lock name (`ecs:prod/api`): while the step acts, another run's step with
    /// the same name waits. Nil for actions that change no one target.
    func lock(_ context: ActionContext) -> String?
}

extension Action {
    /// Most actions have nothing to show beyond their resolved parameters.
    public func preview(_ context: ActionContext) async throws(ActionFailure) -> [String] { [] }

    /// Most actions change no one target.
    public func lock(_ context: ActionContext) -> String? { nil }

    /// Most actions have nothing to prepare: they start once their step's start is recorded.
    public func prepare(_ context: ActionContext) throws(ActionFailure) -> (any PreparedAttempt)? { nil }
}

/// Why an action failed, with whatever outputs it produced before failing (a shell's exit code and output).
public struct ActionFailure: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it is, for code that must act on it rather than on the message. A struct rather than an
    /// enum, so kinds can be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The kind's name.
        public var description: String

        /// The action failed: the command, the request or the system said no.
        public static let failed = Code(description: "failed")
        /// The action stopped because its task was cancelled (Ctrl-C, `runbook cancel`, a step timeout).
        public static let cancelled = Code(description: "cancelled")
    }

    /// One line that says what failed and what to check.
    public var message: String
    /// Outputs produced before the failure.
    public var outputs: [String: Value]
    /// The kind of failure.
    public var code: Code

    /// Creates a failure.
    public init(_ message: String, outputs: [String: Value] = [:], code: Code = .failed) {
        self.message = message
        self.outputs = outputs
        self.code = code
    }

    /// The failure of an action stopped by cancellation, with what it produced until then.
    public static func cancelled(outputs: [String: Value] = [:]) -> ActionFailure {
        ActionFailure("cancelled", outputs: outputs, code: .cancelled)
    }

    /// The message.
    public var description: String { message }
}
