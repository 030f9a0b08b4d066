import RunbookLanguage

extension KubernetesRequest {
    /// `GET` of a Deployment.
    static func deployment(_ namespace: String, _ name: String) -> KubernetesRequest {
        .get(
            deploymentPath(namespace, name), subject: deploymentSubject(namespace, name),
            permission: "get deployments.apps")
    }

    /// `GET` of a Deployment's scale subresource.
    static func deploymentScale(_ namespace: String, _ name: String) -> KubernetesRequest {
        .get(
            deploymentPath(namespace, name) + "/scale", subject: deploymentSubject(namespace, name),
            permission: "get deployments.apps/scale")
    }

    /// A merge patch of a Deployment's scale subresource, as `kubectl scale` sends it.
    static func patchDeploymentScale(_ namespace: String, _ name: String, _ body: Value) -> KubernetesRequest {
        .patch(
            deploymentPath(namespace, name) + "/scale", body: body, contentType: "application/merge-patch+json",
            subject: deploymentSubject(namespace, name), permission: "patch deployments.apps/scale")
    }

    /// A patch of a Deployment.
    static func patchDeployment(
        _ namespace: String, _ name: String, _ body: Value, contentType: String, query: [String: String] = [:]
    ) -> KubernetesRequest {
        .patch(
            deploymentPath(namespace, name), query: query, body: body, contentType: contentType,
            subject: deploymentSubject(namespace, name), permission: "patch deployments.apps")
    }

    /// The ReplicaSets matching `selector`, as `kubectl rollout undo` lists them.
    static func replicaSets(_ namespace: String, selector: String) -> KubernetesRequest {
        .get(
            "/apis/apps/v1/namespaces/\(segment(namespace))/replicasets", query: ["labelSelector": selector],
            subject: "the ReplicaSets matching '\(selector)' in namespace '\(namespace)'",
            permission: "list replicasets.apps")
    }

    /// The pods matching `selector`.
    static func pods(_ namespace: String, selector: String) -> KubernetesRequest {
        .get(
            "/api/v1/namespaces/\(segment(namespace))/pods", query: ["labelSelector": selector],
            subject: "the pods matching '\(selector)' in namespace '\(namespace)'", permission: "list pods")
    }

    /// `GET` of a pod.
    static func pod(_ namespace: String, _ name: String) -> KubernetesRequest {
        .get(
            "/api/v1/namespaces/\(segment(namespace))/pods/\(segment(name))",
            subject: "pod '\(name)' in namespace '\(namespace)'", permission: "get pods")
    }

    /// A pod's log with `query` (`container`, `previous`, `tailLines`, `sinceSeconds`).
    static func podLog(_ namespace: String, _ name: String, query: [String: String]) -> KubernetesRequest {
        .get(
            "/api/v1/namespaces/\(segment(namespace))/pods/\(segment(name))/log", query: query,
            subject: "the log of pod '\(name)' in namespace '\(namespace)'", permission: "get pods/log")
    }

    private static func deploymentPath(_ namespace: String, _ name: String) -> String {
        "/apis/apps/v1/namespaces/\(segment(namespace))/deployments/\(segment(name))"
    }

    private static func deploymentSubject(_ namespace: String, _ name: String) -> String {
        "deployment '\(name)' in namespace '\(namespace)'"
    }
}
