import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who is acting, as established by something the actor cannot simply declare: on a local store the OS account
/// of the process (its real uid's name); through `runbook serve` the name bound to the token that authenticated
/// the request. A display name (`$RUNBOOK_USER`) may be kept beside it for people to read; no rule ever counts it.
///
/// Rules compare identities by their ``key``, so `Alice`, `alice ` and a decomposed `é` are one person.
public struct Identity: Sendable, Hashable {
    /// The established name: the account, or the token's name.
    public var name: String
    /// What the person asked to be called, when that differs from ``name``; for display only.
    public var displayName: String?

    /// Creates an identity.
    public init(name: String, displayName: String? = nil) {
        self.name = name
        let shown = displayName?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.displayName = shown.flatMap { $0.isEmpty || Self.key($0) == Self.key(name) ? nil : $0 }
    }

    /// The OS account of this process (its real uid, which neither `$USER` nor `$RUNBOOK_USER` changes), with
    /// `displayName` kept beside it. An account with no name in the user database is `uid:N`.
    public static func processOwner(displayName: String? = nil) -> Identity {
        Identity(name: accountName(uid: getuid()), displayName: displayName)
    }

    /// The name of the account `uid`, or `uid:N` when it has none.
    static func accountName(uid: uid_t) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4_096)
        let status = getpwuid_r(uid, &entry, &buffer, buffer.count, &result)
        guard status == 0, result != nil, let name = entry.pw_name else { return "uid:\(uid)" }
        return String(cString: name)
    }

    /// The form names are compared in: Unicode NFC, surrounding white space removed, case folded.
    public static func key(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines)
            .folding(options: [.caseInsensitive], locale: nil)
            .precomposedStringWithCanonicalMapping
    }

    /// Whether `name` and `other` name the same actor.
    public static func same(_ name: String, _ other: String) -> Bool { key(name) == key(other) }

    /// `name`, with the display name beside it when there is one: `alice (Alice Smith)`.
    public var description: String { displayName.map { "\(name) (\($0))" } ?? name }
}
