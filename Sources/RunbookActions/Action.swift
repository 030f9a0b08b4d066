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
    /// Whether the engine may call ``execute(_:)`` for a step's first attempt while its `step.started` event is still
    /// being committed. Such an action prepares what it can, then waits for `context.start` before acting, and acts
    /// not at all when the start could not be recorded.
    var preparesWhileStartIsRecorded: Bool { get }
}

extension Action {
    /// Most actions have nothing to show beyond their resolved parameters.
    public func preview(_ context: ActionContext) async throws(ActionFailure) -> [String] { [] }

    /// Most actions are called once their start is durable.
    public var preparesWhileStartIsRecorded: Bool { false }
}

/// Why an action failed, with whatever outputs it produced before failing (a shell's exit code and output).
public struct ActionFailure: Error, Sendable, CustomStringConvertible {
    /// One line that says what failed and what to check.
    public var message: String
    /// Outputs produced before the failure.
    public var outputs: [String: Value]

    /// Creates a failure.
    public init(_ message: String, outputs: [String: Value] = [:]) {
        self.message = message
        self.outputs = outputs
    }

    /// The message.
    public var description: String { message }
}
