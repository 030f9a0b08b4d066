import RunbookLanguage

/// A webhook body that cannot be turned into alerts: which field, and what is wrong with it.
public struct AlertPayloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The format the body was read as.
    public var source: AlertSource
    /// The path of the field in the body, e.g. `alerts[1].labels`, `Message.NewStateValue`; `body` for the
    /// whole body.
    public var field: String
    /// What is wrong, e.g. `missing`, `not JSON (…)`, `expected a string, found number`.
    public var problem: String

    /// Creates an error.
    public init(source: AlertSource, field: String, problem: String) {
        self.source = source
        self.field = field
        self.problem = problem
    }

    /// `alerts[1].labels: missing`.
    public var message: String { "\(field): \(problem)" }

    /// `invalid alertmanager payload: alerts[1].labels: missing`.
    public var description: String { "invalid \(source.rawValue) payload: \(message)" }
}
