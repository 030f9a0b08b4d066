/// `audit:` in `runbook.config.yaml`: how the audit log's head is signed and who keeps a copy.
public struct AuditSettings: Sendable, Hashable {
    /// The Ed25519 private key file that signs checkpoints, as written (relative to the configuration's folder);
    /// nil when checkpoints are not signed.
    public var signingKey: String?
    /// How often `runbook serve` checkpoints (default 10 minutes).
    public var checkpointEvery: Duration = .seconds(600)
    /// The channels of `notify:` each checkpoint is posted to (the witnesses).
    public var notify: [String] = []

    /// Settings with the defaults.
    public init() {}
}
