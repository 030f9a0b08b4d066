import Foundation
import RunbookLanguage

/// What an exec credential plugin printed: a bearer token or a client certificate, and when it expires.
struct ExecCredential: Sendable, Hashable {
    /// The bearer token.
    var token: String?
    /// A PEM client certificate.
    var clientCertificate: [UInt8]?
    /// Its PEM private key.
    var clientKey: [UInt8]?
    /// When the credential stops being valid; nil when the plugin gave no time (then it is kept for the process).
    var expiration: Date?

    /// Parses the plugin's standard output.
    /// - Throws: a sentence naming the plugin (never the credential) when the output is not a usable ExecCredential.
    init(json: String, apiVersion: String, command: String) throws(KubeconfigError) {
        let what = "the exec credential plugin '\(command)'"
        let reply: Value
        do {
            reply = try Value(jsonString: json)
        } catch {
            throw KubeconfigError("\(what) did not print an ExecCredential as JSON")
        }
        guard reply.member("kind").text == "ExecCredential", reply.member("apiVersion").text == apiVersion else {
            throw KubeconfigError("\(what) printed something other than an ExecCredential of \(apiVersion)")
        }
        let status = reply.member("status")
        token = status.member("token").text.flatMap { $0.isEmpty ? nil : $0 }
        clientCertificate = status.member("clientCertificateData").text.map { Array($0.utf8) }
        clientKey = status.member("clientKeyData").text.map { Array($0.utf8) }
        guard token != nil || (clientCertificate != nil && clientKey != nil) else {
            throw KubeconfigError("\(what) returned neither a token nor a client certificate and key")
        }
        if let text = status.member("expirationTimestamp").text {
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw KubeconfigError("\(what) returned an expirationTimestamp that is not RFC 3339: '\(text)'")
            }
            expiration = date
        }
    }
}
