import RunbookLanguage

/// What an action gets to do its work: resolved parameters and the run's surroundings.
public struct ActionContext: Sendable {
    /// The step's parameters with every expression evaluated (for `shell`, `command` holds no value: it reads each
    /// expression's value from a `RUNBOOK_VALUE_n` variable of `environment`).
    public var parameters: [String: Value]
    /// The step's id, for messages.
    public var stepID: String
    /// The run's id.
    public var runID: String
    /// Extra environment variables for processes the action starts (the step's `env`, and for `shell` the
    /// variables that carry its command's values).
    public var environment: [String: String]
    /// The folder relative paths are resolved against.
    public var workingDirectory: String
    /// Notification channels from the configuration, by name.
    public var channels: [String: NotifyChannel]
    /// The systems the run's environment points at (PostgreSQL, AWS, Kubernetes).
    public var target: ActionTarget
    /// Receives live output (a shell's lines) for the terminal; it is already redacted by the engine.
    public var emit: @Sendable (OutputLine) -> Void

    /// Creates a context.
    public init(
        parameters: [String: Value], stepID: String, runID: String, environment: [String: String] = [:],
        workingDirectory: String, channels: [String: NotifyChannel] = [:], target: ActionTarget = ActionTarget(),
        emit: @escaping @Sendable (OutputLine) -> Void = { _ in }
    ) {
        self.parameters = parameters
        self.stepID = stepID
        self.runID = runID
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.channels = channels
        self.target = target
        self.emit = emit
    }

    /// The parameter `name` as text, if given.
    public func string(_ name: String) -> String? {
        switch parameters[name] {
        case nil, .null?: nil
        case let value?: value.stringValue
        }
    }
}

/// One line of live output from an action.
public struct OutputLine: Sendable, Hashable {
    /// Which stream it came from.
    public var stream: Stream
    /// The line, without its newline.
    public var text: String

    /// The streams of a process.
    public enum Stream: String, Sendable, Hashable {
        case stdout, stderr
    }

    /// Creates a line.
    public init(stream: Stream, text: String) {
        self.stream = stream
        self.text = text
    }
}

/// A place `notify` posts to, from the configuration's `notify:`.
public struct NotifyChannel: Sendable, Hashable {
    /// The channel's name.
    public var name: String
    /// How messages are posted.
    public var kind: Kind
    /// The webhook URL (a secret: never logged).
    public var url: String

    /// The webhook formats.
    public enum Kind: String, Sendable, Hashable {
        /// A Slack incoming webhook: `{"text": …}`.
        case slack
        /// A generic JSON webhook: `{"text", "channel", "run", "step", …}`.
        case webhook
    }

    /// Creates a channel.
    public init(name: String, kind: Kind, url: String) {
        self.name = name
        self.kind = kind
        self.url = url
    }
}
