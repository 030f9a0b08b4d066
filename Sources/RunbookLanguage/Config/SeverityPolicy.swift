/// What a severity level changes about a run: how long gates wait, whether `--yes` may approve mutating steps, and
/// which notification channels hear about it.
public struct SeverityPolicy: Sendable, Hashable {
    /// How long a gate without its own `timeout:` waits before applying its default.
    public var gateTimeout: Duration
    /// Whether `--yes` approves gates of mutating steps at this level (diagnostic gates may always be approved).
    public var allowsYes: Bool
    /// The channels notified of this level's gates, RTO warnings, recoveries and run ends.
    public var channels: [String]

    /// Creates a policy.
    public init(gateTimeout: Duration, allowsYes: Bool, channels: [String] = []) {
        self.gateTimeout = gateTimeout
        self.allowsYes = allowsYes
        self.channels = channels
    }

    /// The built-in policy of `severity`: the worse the incident, the shorter a gate may sit unanswered, and at SEV1
    /// a human must answer every destructive gate.
    public static func builtin(_ severity: Severity) -> SeverityPolicy {
        switch severity {
        case .sev1: SeverityPolicy(gateTimeout: .seconds(600), allowsYes: false)
        case .sev2: SeverityPolicy(gateTimeout: .seconds(900), allowsYes: true)
        case .sev3: SeverityPolicy(gateTimeout: .seconds(1_800), allowsYes: true)
        case .sev4: SeverityPolicy(gateTimeout: .seconds(3_600), allowsYes: true)
        }
    }
}
