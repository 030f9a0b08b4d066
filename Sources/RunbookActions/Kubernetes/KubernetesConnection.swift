import Foundation
import RunbookLanguage

/// A cluster to call and how: the API server, TLS settings, credentials and the default namespace, resolved from a
/// kubeconfig context or a pod's service account.
struct KubernetesConnection: Sendable {
    /// The API server's URL, without a trailing slash.
    var server: String
    /// The namespace actions use when a step gives none.
    var namespace: String
    /// The kubeconfig context, or nil for in-cluster credentials.
    var contextName: String?
    /// The kubeconfig user, for messages.
    var userName: String?
    /// How messages name the environment (`environment 'prod'`).
    var environmentLabel: String
    /// The cluster entry, passed to exec plugins.
    var cluster: Kubeconfig.Cluster
    /// Certificate authorities, verification and client certificate options.
    var tlsOptions: [CurlOption]
    /// How requests prove who they are beyond a client certificate.
    var authentication: Authentication

    /// The credential sent with each request.
    enum Authentication: Sendable {
        /// None beyond TLS (a client certificate, or anonymous).
        case none
        /// A fixed bearer token.
        case token(String)
        /// A bearer token read from a file at each request (rotated service-account tokens).
        case tokenFile(String)
        /// A token or client certificate from an exec plugin.
        case exec(ExecCredentialPlugin)
    }

    /// `environment 'prod' (context 'prod-eks', https://…)`: where requests go, for messages.
    var endpointDescription: String {
        let source = contextName.map { "context '\($0)'" } ?? "in-cluster service account"
        return "\(environmentLabel) (\(source), \(server))"
    }

    /// The headers and libcurl options that carry the credentials of one request.
    /// - Throws: `ActionFailure` when a token file cannot be read or the exec plugin fails.
    func credentials() async throws(ActionFailure) -> (headers: [HTTPHeader], options: [CurlOption]) {
        switch authentication {
        case .none:
            return ([], tlsOptions)
        case .token(let token):
            return ([HTTPHeader("Authorization", "Bearer \(token)")], tlsOptions)
        case .tokenFile(let path):
            guard let token = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ActionFailure(
                    "\(endpointDescription): cannot read the token file '\(path)'; check that it exists and is "
                        + "readable")
            }
            let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
            return ([HTTPHeader("Authorization", "Bearer \(trimmed)")], tlsOptions)
        case .exec(let plugin):
            let credential: ExecCredential
            do {
                credential = try await plugin.credential(for: cluster)
            } catch {
                throw Task.isCancelled ? ActionFailure.cancelled() : ActionFailure("\(endpointDescription): \(error)")
            }
            var options = tlsOptions
            if let certificate = credential.clientCertificate, let key = credential.clientKey {
                options += [.clientCertificate(pem: certificate), .clientKey(pem: key)]
            }
            return (credential.token.map { [HTTPHeader("Authorization", "Bearer \($0)")] } ?? [], options)
        }
    }

    /// After a 401: forgets an exec plugin's cached credential; true when a retry may get a fresh one.
    func forgetRejectedCredential() -> Bool {
        guard case .exec(let plugin) = authentication else { return false }
        plugin.forget(for: cluster)
        return true
    }
}
