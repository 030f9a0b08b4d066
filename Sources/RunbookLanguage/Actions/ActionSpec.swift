/// What the language knows of an action: its parameters, kind, default timeout and outputs.
///
/// The validator checks every step against its action's spec before anything runs.
public struct ActionSpec: Sendable {
    /// The name written after `action:`.
    public var name: String
    /// One line on what the action does.
    public var summary: String
    /// Whether it changes infrastructure; mutating steps are gated unless they say `confirm: false`.
    public var mutating: Bool
    /// How long a step may run unless it sets `timeout:`; nil when the parameters bound it (`sleep`).
    public var defaultTimeout: Duration?
    /// The parameters it accepts, in documentation order.
    public var parameters: [ParameterSpec]
    /// Groups of parameters of which exactly one must be given (`replicas` or `by`).
    public var exactlyOneOf: [[String]]
    /// The outputs it produces; nil when any name is possible (`shell` writes its own).
    public var outputs: [OutputSpec]?

    /// Creates a spec.
    public init(
        name: String, summary: String, mutating: Bool, defaultTimeout: Duration?,
        parameters: [ParameterSpec], exactlyOneOf: [[String]] = [], outputs: [OutputSpec]?
    ) {
        self.name = name
        self.summary = summary
        self.mutating = mutating
        self.defaultTimeout = defaultTimeout
        self.parameters = parameters
        self.exactlyOneOf = exactlyOneOf
        self.outputs = outputs
    }

    /// The parameter called `name`, if the action has one.
    public func parameter(_ name: String) -> ParameterSpec? { parameters.first { $0.name == name } }
}

/// One parameter of an action.
public struct ParameterSpec: Sendable {
    /// The key under `with:`.
    public var name: String
    /// The kind of value it takes.
    public var type: ParameterType
    /// Whether it must be given.
    public var required: Bool
    /// The value used when it is not given, for docs and plans.
    public var defaultValue: Value?
    /// What it means.
    public var summary: String

    /// A required parameter.
    public static func required(_ name: String, _ type: ParameterType, _ summary: String) -> ParameterSpec {
        ParameterSpec(name: name, type: type, required: true, defaultValue: nil, summary: summary)
    }

    /// An optional parameter, with its default when it has one.
    public static func optional(
        _ name: String, _ type: ParameterType, _ summary: String, default defaultValue: Value? = nil
    ) -> ParameterSpec {
        ParameterSpec(name: name, type: type, required: false, defaultValue: defaultValue, summary: summary)
    }
}

/// One output of an action, read as `steps.ID.outputs.NAME`.
public struct OutputSpec: Sendable {
    /// The output's name.
    public var name: String
    /// What it holds.
    public var summary: String

    /// Creates an output spec.
    public init(_ name: String, _ summary: String) {
        self.name = name
        self.summary = summary
    }
}
