import RunbookLanguage

/// One call of the Kubernetes API, with what it is about for messages.
struct KubernetesRequest: Sendable {
    /// The HTTP method.
    var method: String
    /// The path below the server, e.g. `/apis/apps/v1/namespaces/backend/deployments/web/scale`.
    var path: String
    /// Query parameters; sent sorted by name, as client-go sends them.
    var query: [String: String]
    /// The JSON body, if any.
    var body: Value?
    /// The body's media type, e.g. `application/merge-patch+json`.
    var contentType: String?
    /// What the call is about: `deployment 'web' in namespace 'backend'`.
    var subject: String
    /// The RBAC verb and resource it needs: `patch deployments/scale`.
    var permission: String

    /// A GET.
    static func get(
        _ path: String, query: [String: String] = [:], subject: String, permission: String
    ) -> KubernetesRequest {
        KubernetesRequest(
            method: "GET", path: path, query: query, body: nil, contentType: nil, subject: subject,
            permission: permission)
    }

    /// A PATCH with `body` of media type `contentType`.
    static func patch(
        _ path: String, query: [String: String] = [:], body: Value, contentType: String, subject: String,
        permission: String
    ) -> KubernetesRequest {
        KubernetesRequest(
            method: "PATCH", path: path, query: query, body: body, contentType: contentType, subject: subject,
            permission: permission)
    }

    /// The query string (without `?`), names sorted and values escaped like Go's `url.Values.Encode`.
    var queryString: String { PercentEncoding.query(query) }

    /// Escapes one path segment (a name from a step's parameters).
    static func segment(_ name: String) -> String { PercentEncoding.component(name) }
}
