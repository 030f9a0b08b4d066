import Foundation
import RunbookLanguage

/// One alert, in the shape every source's payload is turned into: what triggers match and `${{ alert.… }}` reads.
public struct Alert: Sendable, Hashable {
    /// Whether the condition holds now or has ended.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case firing, resolved
    }

    /// The alerting system that sent it.
    public var source: AlertSource
    /// Firing or resolved.
    public var status: Status
    /// Identifying labels, matched by `match` and `match_re` (see docs/alerts.md for each source's).
    public var labels: [String: String]
    /// Descriptive texts (summary, description, reason), never matched.
    public var annotations: [String: String]
    /// When the condition began (for a state change: when the state changed).
    public var startsAt: Date
    /// When it ended; nil while it fires.
    public var endsAt: Date?
    /// The sender's identity for the alert, else `Alert.labelFingerprint(of: labels)`.
    public var fingerprint: String

    /// Creates an alert.
    /// - Parameter fingerprint: The sender's fingerprint; nil or empty means the SHA-256 of the labels.
    public init(
        source: AlertSource, status: Status, labels: [String: String], annotations: [String: String] = [:],
        startsAt: Date, endsAt: Date? = nil, fingerprint: String? = nil
    ) {
        self.source = source
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        if let fingerprint, !fingerprint.isEmpty {
            self.fingerprint = fingerprint
        } else {
            self.fingerprint = Self.labelFingerprint(of: labels)
        }
    }

    /// The key that identifies the alert across deliveries (firing, repeated, resolved), for deduplication.
    public var key: AlertKey { AlertKey(source: source, fingerprint: fingerprint) }

    /// The `alert` expression context: `labels`, `annotations`, `starts_at` (RFC 3339 UTC, milliseconds),
    /// `source`, `fingerprint` and `status`.
    public var contextValue: Value {
        [
            "labels": .object(labels.mapValues(Value.string)),
            "annotations": .object(annotations.mapValues(Value.string)),
            "starts_at": .string(Timestamp.format(startsAt)),
            "source": .string(source.rawValue),
            "fingerprint": .string(fingerprint),
            "status": .string(status.rawValue),
        ]
    }
}
