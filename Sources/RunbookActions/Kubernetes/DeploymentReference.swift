import RunbookLanguage

/// The Deployment a `k8s.*` step names, and the client to reach it.
struct DeploymentReference: Sendable {
    /// The environment's API client.
    var client: KubernetesClient
    /// The Deployment's namespace.
    var namespace: String
    /// The Deployment's name.
    var name: String

    /// Reads `deployment` and `namespace` from the step and resolves the environment's connection.
    /// - Throws: `ActionFailure` when `deployment` is missing or no connection can be made.
    init(_ context: ActionContext, sources: KubernetesCredentialSources, action: String) throws(ActionFailure) {
        name = try context.requiredString("deployment", action: action)
        client = try KubernetesClient(context, sources: sources)
        namespace = client.namespace(context)
    }

    /// `backend/web`, for messages and previews.
    var qualifiedName: String { "\(namespace)/\(name)" }

    /// The Deployment object.
    func fetch() async throws(ActionFailure) -> Value {
        try await client.json(.deployment(namespace, name))
    }

    /// The images of a pod template's containers: `main=web:2, sidecar=envoy:1`.
    static func images(_ template: Value) -> String {
        guard case .array(let containers) = template.member("spec").member("containers") else { return "none" }
        return containers.map { "\($0.member("name").text ?? "?")=\($0.member("image").text ?? "?")" }
            .joined(separator: ", ")
    }
}
