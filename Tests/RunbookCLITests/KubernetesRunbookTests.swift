import Foundation
import RunbookTestPeers
import Testing

/// The bundled `pod-crashloop` runbook, run by the built binary against the fake Kubernetes API server through an
/// environment of `runbook.config.yaml` and `$KUBECONFIG`.
struct KubernetesRunbookTests {
    @Test("pod-crashloop restarts a crash-looping Deployment and waits for its rollout")
    func podCrashloopEndToEnd() async throws {
        var state = KubernetesPeer.State()
        try state.addDeployment(
            "worker", namespace: "backend", labelKey: "app.kubernetes.io/name", images: ["worker:7"],
            pods: [try KubernetesPeer.fixture("k8s-pod-crashloopbackoff-is-healthy.yaml")])
        state.setLog(
            namespace: "backend", pod: "my-pod", container: "main", current: [.init(age: 1, "starting")],
            previous: [.init(age: 40, "panic: cannot reach queue")])
        state.rolloutPolls = 1
        let peer = try await KubernetesPeer.start(state)
        defer { peer.stop() }
        // The kubeconfig's current context points nowhere useful; the environment picks the right one.
        let decoy = try peer.writeKubeconfig(
            context: "decoy", credential: .token("wrong"), server: "https://127.0.0.1:1", folder: "a")
        let real = try peer.writeKubeconfig(
            context: "staging-cluster", credential: .clientCertificateData, currentContext: false, folder: "b")

        let workspace = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            environments:
              staging:
                kubernetes: { context: staging-cluster, namespace: backend }
            """)
        let bundled = RunbookBinary.packageRoot.appendingPathComponent("runbooks/pod-crashloop.yaml")
        try workspace.write("runbooks/pod-crashloop.yaml", try String(contentsOf: bundled, encoding: .utf8))

        // On a thread of its own: the run takes seconds and must not hold a thread of the cooperative pool.
        let root = workspace.root
        let result = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    try RunbookBinary.run(
                        ["exec", "pod-crashloop", "--env", "staging", "--yes"], in: root,
                        environment: ["RUNBOOK_USER": "alice", "KUBECONFIG": "\(decoy):\(real)"])
                })
            }.start()
        }
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")

        let deployment = try #require(try peer.object("deployments", "backend", "worker"))
        let template = (deployment["spec"] as? [String: Any])?["template"] as? [String: Any]
        let annotations = (template?["metadata"] as? [String: Any])?["annotations"] as? [String: Any]
        let restartedAt = try #require(annotations?["kubectl.kubernetes.io/restartedAt"] as? String)
        #expect(ISO8601DateFormatter().date(from: restartedAt) != nil)
        #expect(try peer.object("pods", "backend", "my-pod") == nil)

        let events = try workspace.events()
        let finished = events.filter { $0["type"] as? String == "step.finished" }
        let outcomes = Dictionary(
            finished.map { ($0["step"] as? String ?? "", ($0["data"] as? [String: Any])?["outcome"] as? String) }
        ) { $1 }
        #expect(outcomes["pods"] == "success")
        #expect(outcomes["logs"] == "success")
        #expect(outcomes["restart"] == "success")
        #expect(outcomes["rollout"] == "success")
        #expect(outcomes["recheck"] == "success")
        #expect(outcomes["oom"] == "skipped")
        #expect(events.contains { $0["type"] as? String == "incident.recovered" })
        let patches = try peer.resourceRequests().filter { $0.method == "PATCH" }
        #expect(patches.map(\.user) == ["alice"])
    }
}
