import Foundation
import Synchronization

/// Credentials exec plugins returned, kept in memory until they expire so a run calls the plugin once, not once per
/// request.
final class ExecCredentialCache: Sendable {
    /// The process's cache.
    static let shared = ExecCredentialCache()

    /// A plugin as configured, for one server.
    struct Key: Sendable, Hashable {
        /// The plugin's configuration.
        var plugin: ExecCredentialPlugin
        /// The API server's URL.
        var server: String
    }

    /// How long before its expiry a credential is replaced, so it does not run out during a request.
    static let margin: TimeInterval = 10

    private let entries = Mutex<[Key: ExecCredential]>([:])

    /// The cached credential for `key` that is still valid at `date`.
    func credential(for key: Key, at date: Date) -> ExecCredential? {
        entries.withLock { entries in
            guard let credential = entries[key] else { return nil }
            if let expiration = credential.expiration, expiration.timeIntervalSince(date) < Self.margin {
                entries[key] = nil
                return nil
            }
            return credential
        }
    }

    /// Keeps `credential` for `key`.
    func store(_ credential: ExecCredential, for key: Key) {
        entries.withLock { $0[key] = credential }
    }

    /// Forgets the credential for `key`.
    func remove(_ key: Key) {
        entries.withLock { $0[key] = nil }
    }
}
