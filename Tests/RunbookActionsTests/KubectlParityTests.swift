import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

/// The fake API server's fidelity and the actions' requests, checked against the real kubectl: the same scenario runs
/// with kubectl against one fake and with the actions against another, and the requests that read logs, list
/// ReplicaSets or change anything must be the same (method, path, query, content type, body).
@Suite("kubectl parity")
struct KubectlParityTests {
    /// A request reduced to what must match; the restartedAt time differs by nature and is replaced.
    private struct Essential: Equatable, CustomStringConvertible {
        var method: String
        var path: String
        var query: [String: [String]]
        var contentType: String
        var body: Value

        var description: String { "\(method) \(path) \(query) \(contentType) \(body)" }
    }

    private func essentials(_ peer: KubernetesPeer) throws -> [Essential] {
        try peer.resourceRequests()
            .filter { $0.method != "GET" || $0.path.hasSuffix("/log") || $0.path.hasSuffix("/replicasets") }
            .map { request in
                var text = request.body
                if let range = text.range(of: #"restartedAt":"[^"]*""#, options: .regularExpression) {
                    text.replaceSubrange(range, with: #"restartedAt":"<time>""#)
                }
                return Essential(
                    method: request.method, path: request.path, query: request.query,
                    contentType: request.contentType, body: text.isEmpty ? .null : try Value(jsonString: text))
            }
    }

    @Test func scaleRestartUndoAndLogsSendWhatKubectlSends() async throws {
        let state = try shopState()
        let kubectlPeer = try await KubernetesPeer.start(state)
        defer { kubectlPeer.stop() }
        let kubeconfig = try kubectlPeer.writeKubeconfig(credential: .clientCertificateFiles)
        for arguments in [
            ["scale", "deployment", "web", "--replicas=5", "-n", "shop"],
            ["rollout", "restart", "deployment/web", "-n", "shop"],
            ["rollout", "undo", "deployment/web", "-n", "shop"],
            ["rollout", "undo", "deployment/web", "-n", "shop", "--to-revision=1"],
            ["logs", "my-pod", "-n", "backend", "--previous", "--tail=2"],
        ] {
            let (status, output) = try await kubectlPeer.kubectl(arguments, kubeconfig: kubeconfig)
            #expect(status == 0, "kubectl \(arguments.joined(separator: " ")): \(output)")
        }

        try await withKubernetes(state) { peer in
            let sources = sources(try peer.writeKubeconfig(credential: .clientCertificateFiles))
            let web: [String: Value] = ["namespace": "shop", "deployment": "web"]
            _ = try await KubernetesScaleAction(sources: sources).execute(
                kubernetesContext(web.merging(["replicas": 5]) { $1 }))
            _ = try await KubernetesRestartAction(sources: sources).execute(kubernetesContext(web))
            _ = try await KubernetesRollbackAction(sources: sources).execute(kubernetesContext(web))
            _ = try await KubernetesRollbackAction(sources: sources).execute(
                kubernetesContext(web.merging(["to_revision": 1]) { $1 }))
            let logs = try await KubernetesLogsAction(sources: sources).execute(
                kubernetesContext(["namespace": "backend", "pod": "my-pod", "previous": true, "tail": 2]))
            #expect(logs["lines"] == ["connecting to db", "panic: db down"])

            let expected = try essentials(kubectlPeer)
            #expect(expected.count == 7)
            #expect(try essentials(peer) == expected)
            #expect(
                try snapshot(peer, "deployments", "shop", "web")["spec"]
                    == snapshot(kubectlPeer, "deployments", "shop", "web")["spec"])
        }
    }
}
