import Foundation
import RunbookLanguage

/// Calls the Kubernetes API of one environment with libcurl, and turns what goes wrong into one line naming the
/// environment, the endpoint and what to check.
struct KubernetesClient: Sendable {
    /// Where requests go and with which credentials.
    var connection: KubernetesConnection
    /// How long one request may take; the step's timeout may end it sooner by cancelling the task.
    var requestTimeout: Duration

    /// How many response bytes are kept; a list of many pods is large.
    static let maxResponseBytes = 32 * 1024 * 1024

    /// The client for the environment `context.target` names.
    /// - Throws: `ActionFailure` when no kubeconfig or service account gives a usable connection.
    init(
        _ context: ActionContext, sources: KubernetesCredentialSources, requestTimeout: Duration = .seconds(30)
    ) throws(ActionFailure) {
        connection = try KubernetesConnection.resolve(target: context.target, sources: sources)
        self.requestTimeout = requestTimeout
    }

    /// The step's `namespace`, else the environment's or the context's, else `default`.
    func namespace(_ context: ActionContext) -> String {
        context.string("namespace")?.nonEmpty ?? connection.namespace
    }

    /// Sends `request` and decodes the JSON reply.
    /// - Throws: `ActionFailure` for a failed transfer, an error status or a reply that is not JSON.
    func json(_ request: KubernetesRequest) async throws(ActionFailure) -> Value {
        let response = try await send(request)
        return try decode(response, request)
    }

    /// Sends `request` and returns the reply as text (a pod's log).
    func text(_ request: KubernetesRequest) async throws(ActionFailure) -> String {
        try await send(request).text
    }

    /// Sends `request`; a status in `accepting` comes back as a response, other statuses outside 2xx throw.
    func send(_ request: KubernetesRequest, accepting: Set<Int> = []) async throws(ActionFailure) -> HTTPResponse {
        var retriedWithFreshCredential = false
        while true {
            let (credentialHeaders, options) = try await connection.credentials()
            var headers = credentialHeaders + [HTTPHeader("Accept", "application/json, */*")]
            if let contentType = request.contentType { headers.append(HTTPHeader("Content-Type", contentType)) }
            let query = request.queryString
            var http = HTTPRequest(
                method: request.method, url: connection.server + request.path + (query.isEmpty ? "" : "?" + query),
                headers: headers, body: request.body.map { Array($0.jsonString(pretty: false).utf8) },
                timeout: requestTimeout, options: options)
            http.followsRedirects = false
            http.maxResponseBytes = Self.maxResponseBytes
            let response: HTTPResponse
            do {
                response = try await http.send()
            } catch {
                throw failure(error, request)
            }
            if response.status == 401, !retriedWithFreshCredential, connection.forgetRejectedCredential() {
                // An exec plugin's cached token may have been revoked early: ask the plugin once more.
                retriedWithFreshCredential = true
                continue
            }
            guard (200..<300).contains(response.status) || accepting.contains(response.status) else {
                throw failure(response, request)
            }
            return response
        }
    }

    /// The reply's JSON.
    func decode(_ response: HTTPResponse, _ request: KubernetesRequest) throws(ActionFailure) -> Value {
        do {
            return try Value(jsonString: response.text)
        } catch {
            throw ActionFailure(
                "\(connection.endpointDescription): \(request.method) \(request.path) returned \(response.status) "
                    + "with a body that is not JSON; check that the server is a Kubernetes API server")
        }
    }

    // MARK: - Messages

    private func failure(_ error: HTTPError, _ request: KubernetesRequest) -> ActionFailure {
        if error.code == .cancelled { return ActionFailure.cancelled() }
        let hint: String
        switch error.code {
        case .tls:
            hint = "; check the cluster's certificate-authority(-data) and the user's client certificate in the "
                + "kubeconfig"
        case .connectionRefused, .connectionFailed, .unresolvedHost:
            hint = "; check the cluster's server address in the kubeconfig, that the cluster is up, and VPNs or proxies"
        default:
            hint = ""
        }
        return ActionFailure(
            "\(connection.endpointDescription): cannot reach the Kubernetes API for \(request.subject): "
                + error.reason + hint)
    }

    private func failure(_ response: HTTPResponse, _ request: KubernetesRequest) -> ActionFailure {
        let status = (try? Value(jsonString: response.text)) ?? .null
        let message = status.member("message").text?.nonEmpty ?? response.text.prefix(200).description
        let endpoint = connection.endpointDescription
        switch response.status {
        case 401:
            let user = connection.userName.map { "user '\($0)'" } ?? "the service account"
            return ActionFailure(
                "\(endpoint): the Kubernetes API rejected the credentials of \(user) (401 \(message)); check the "
                    + "token, client certificate or exec plugin in the kubeconfig, and that they have not expired")
        case 403:
            return ActionFailure(
                "\(endpoint): forbidden: \(message) (403); grant '\(request.permission)' to that user with RBAC")
        case 404:
            return ActionFailure(
                "\(endpoint): \(request.subject) was not found (\(message)); check the name and the namespace")
        default:
            return ActionFailure(
                "\(endpoint): \(request.method) \(request.path) for \(request.subject) returned \(response.status): "
                    + message)
        }
    }
}
