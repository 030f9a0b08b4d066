/// `serve:` in `runbook.config.yaml`: how `runbook serve` listens, who may call it, and how many runs it keeps going.
public struct ServeSettings: Sendable, Hashable {
    /// `HOST:PORT` to listen on (`--listen` overrides).
    public var listen = "127.0.0.1:8088"
    /// Bearer tokens; a token's name is the actor in the audit log.
    public var tokens: [ServeToken] = []
    /// The PagerDuty webhook subscription's signing secret: a delivery whose `X-PagerDuty-Signature` verifies under
    /// it needs no token. Without it, PagerDuty deliveries need a token like every other sender's.
    public var pagerDutySecret: String?
    /// SNS topic ARNs whose subscription confirmations are followed.
    public var snsTopics: [String] = []
    /// Runs executing at once; alerts beyond it are queued in order.
    public var maxConcurrentRuns = 20
    /// The largest request body accepted; larger ones get 413.
    public var maxBodyBytes = 1_048_576
    /// Seconds a new connection has to send its first request's whole header; a slower one is closed.
    public var headerTimeout = 10
    /// Seconds a request has, from the end of its header, to send its whole body; a slower one is closed.
    public var bodyTimeout = 30
    /// Seconds a connection may wait between a response and the whole header of its next request before it is
    /// closed.
    public var idleTimeout = 60
    /// Connections open at once; one beyond it is closed as soon as it is accepted.
    public var maxConnections = 512
    /// Requests a second one token (or signed PagerDuty deliveries, together) may make on average; beyond it (and
    /// `rateBurst`) a request gets 429 with `Retry-After`.
    public var rateLimit = 100
    /// Requests one token may make at once before `rateLimit` applies.
    public var rateBurst = 200
    /// The environment of `environments:` that alert-started runs target.
    public var environment: String?
    /// The server's address as people reach it, for the API links in gate notifications (default: `http://LISTEN`).
    public var url: String?
    /// The environment variables the tokens and the PagerDuty secret are read from: `runbook serve` takes them out
    /// of the environment its steps inherit.
    public var secretVariables: [String] = []

    /// Settings with the defaults.
    public init() {}
}

/// A bearer token `runbook serve` accepts, and the name it stands for.
public struct ServeToken: Sendable, Hashable {
    /// Who or what holds it (`alertmanager`, `alice`): the actor of what it does.
    public var name: String
    /// The token itself (from `${VAR}`); empty when its variable is not set, and then never accepted.
    public var token: String

    /// Creates a token.
    public init(name: String, token: String) {
        self.name = name
        self.token = token
    }
}
