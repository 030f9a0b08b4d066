/// An access key (and, for temporary credentials, a session token) with where it came from.
///
/// Its `description` names the source and the access key id, never the secret or the token.
struct AWSCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The access key id, e.g. `AKIA…` or `ASIA…`.
    var accessKeyID: String
    /// The secret access key (a secret: never shown).
    var secretAccessKey: String
    /// The session token of temporary credentials (a secret: never shown), sent as `X-Amz-Security-Token`.
    var sessionToken: String?
    /// Where the credentials were found, e.g. `the environment (AWS_ACCESS_KEY_ID)`.
    var source: String

    /// `access key AKIA… from the environment (AWS_ACCESS_KEY_ID)`.
    var description: String {
        "access key \(accessKeyID)\(sessionToken == nil ? "" : " with a session token") from \(source)"
    }
}
