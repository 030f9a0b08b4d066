import RunbookLanguage

/// What makes two deliveries the same alert: its source and fingerprint (the sender's, else the hash of its
/// sorted labels). A repeated notification, and the resolution of a firing alert, have the same key.
public struct AlertKey: Sendable, Hashable, CustomStringConvertible {
    /// The alerting system.
    public var source: AlertSource
    /// The alert's fingerprint.
    public var fingerprint: String

    /// Creates a key.
    public init(source: AlertSource, fingerprint: String) {
        self.source = source
        self.fingerprint = fingerprint
    }

    /// `alertmanager/1a30ba71cca2921f`.
    public var description: String { "\(source.rawValue)/\(fingerprint)" }
}
