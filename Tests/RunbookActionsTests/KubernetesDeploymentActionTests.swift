import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("k8s.scale, k8s.restart, k8s.rollback")
struct KubernetesDeploymentActionTests {
    @Test func scaleToACountSendsKubectlsMergePatch() async throws {
        try await withKubernetes { peer in
            let action = KubernetesScaleAction(sources: sources(try peer.writeKubeconfig()))
            let context = kubernetesContext(["namespace": "shop", "deployment": "web", "replicas": 5])
            #expect(try await action.preview(context) == ["deployment shop/web: replicas 2 → 5 (2 running now)"])
            let outputs = try await action.execute(context)
            #expect(outputs == ["previous": 2, "replicas": 5])
            let patch = try #require(try peer.resourceRequests().last)
            #expect(patch.method == "PATCH")
            #expect(patch.path == "/apis/apps/v1/namespaces/shop/deployments/web/scale")
            #expect(patch.contentType == "application/merge-patch+json")
            #expect(try body(patch) == ["spec": ["replicas": 5]])
            #expect(try snapshot(peer, "deployments", "shop", "web")["spec", "replicas"] == 5)
        }
    }

    @Test func scaleByAChangeRetriesAConflict() async throws {
        var state = try shopState()
        state.scaleConflicts = 1
        try await withKubernetes(state) { peer in
            let action = KubernetesScaleAction(sources: sources(try peer.writeKubeconfig()))
            let outputs = try await action.execute(
                kubernetesContext(["namespace": "shop", "deployment": "web", "by": "+2"]))
            #expect(outputs == ["previous": 2, "replicas": 4])
            let patches = try peer.resourceRequests().filter { $0.method == "PATCH" }
            #expect(patches.map(\.status) == [409, 200])
            #expect(try body(patches[1])["spec", "replicas"] == 4)
            #expect(try body(patches[1])["metadata", "resourceVersion"] != .null)
            #expect(try snapshot(peer, "deployments", "shop", "web")["spec", "replicas"] == 4)

            let down = try await action.execute(kubernetesContext(["namespace": "shop", "deployment": "web", "by": -3]))
            #expect(down == ["previous": 4, "replicas": 1])
            let below = await outcome(
                of: action, kubernetesContext(["namespace": "shop", "deployment": "web", "by": "-2"]))
            #expect(below.failure?.message == "k8s.scale: shop/web has 1 replicas; changing by -2 would go below 0")
        }
    }

    @Test func restartSetsRestartedAtAsKubectlDoes() async throws {
        try await withKubernetes { peer in
            let action = KubernetesRestartAction(sources: sources(try peer.writeKubeconfig(namespace: "shop")))
            let context = kubernetesContext(["deployment": "web"])
            let preview = try await action.preview(context)
            #expect(preview == ["deployment shop/web: 2 replicas (2 ready) will be replaced by new pods of the same "
                + "template (main=web:3)"])
            let outputs = try await action.execute(context)
            let restartedAt = try #require(outputs["restarted_at"]?.stringValue)
            #expect(ISO8601DateFormatter().date(from: restartedAt) != nil)
            let patch = try #require(try peer.resourceRequests().last)
            #expect(patch.method == "PATCH")
            #expect(patch.path == "/apis/apps/v1/namespaces/shop/deployments/web")
            #expect(patch.query == ["fieldManager": ["kubectl-rollout"]])
            #expect(patch.contentType == "application/strategic-merge-patch+json")
            let annotations: Value = ["kubectl.kubernetes.io/restartedAt": .string(restartedAt)]
            #expect(try body(patch) == ["spec": ["template": ["metadata": ["annotations": annotations]]]])
            let web = try snapshot(peer, "deployments", "shop", "web")
            #expect(web["spec", "template", "metadata", "annotations"] == annotations)
            #expect(web["metadata", "annotations", "deployment.kubernetes.io/revision"] == "4")
            #expect(try await action.preview(context).last == "last restarted at \(restartedAt)")
        }
    }

    @Test func rollbackGoesToThePreviousRevisionAsKubectlDoes() async throws {
        var state = try shopState()
        // A ReplicaSet with the same labels and a newer revision that another controller owns must be ignored.
        try state.add(
            """
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-foreign","namespace":"shop",
             "labels":{"app":"web"},"annotations":{"deployment.kubernetes.io/revision":"9"},
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"someone-else",
                                 "controller":true}]},
             "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main",
                                 "image":"evil:1"}]}}}}
            """)
        try await withKubernetes(state) { peer in
            let action = KubernetesRollbackAction(sources: sources(try peer.writeKubeconfig()))
            let context = kubernetesContext(["namespace": "shop", "deployment": "web"])
            #expect(try await action.preview(context) == [
                "deployment shop/web: revision 3 → 2", "images: main=web:3 → main=web:2",
            ])
            #expect(try await action.execute(context) == ["from_revision": 3, "to_revision": 2])

            let requests = try peer.resourceRequests()
            let list = try #require(requests.first { $0.path.hasSuffix("/replicasets") })
            #expect(list.query == ["labelSelector": ["app=web"]])
            let patch = try #require(requests.last)
            #expect(patch.method == "PATCH")
            #expect(patch.contentType == "application/json-patch+json")
            let template: Value = [
                "metadata": ["creationTimestamp": .null, "labels": ["app": "web"]],
                "spec": ["containers": [["name": "main", "image": "web:2", "resources": [:]]]],
            ]
            #expect(try body(patch) == [
                ["op": "replace", "path": "/spec/template", "value": template],
                ["op": "replace", "path": "/metadata/annotations",
                 "value": ["deployment.kubernetes.io/revision": "3", "team": "shop-2"]],
            ])
            let web = try snapshot(peer, "deployments", "shop", "web")
            #expect(web["spec", "template", "spec", "containers"].element(0)["image"] == "web:2")
            #expect(web["metadata", "annotations", "deployment.kubernetes.io/revision"] == "4")

            let toFirst = kubernetesContext(["namespace": "shop", "deployment": "web", "to_revision": 1])
            #expect(try await action.execute(toFirst) == ["from_revision": 4, "to_revision": 1])
            #expect(try snapshot(peer, "deployments", "shop", "web")["spec", "template", "spec", "containers"]
                .element(0)["image"] == "web:1")

            let missing = await outcome(
                of: action, kubernetesContext(["namespace": "shop", "deployment": "web", "to_revision": 7]))
            #expect(
                missing.failure?.message
                    == "k8s.rollback: deployment shop/web has no revision 7; its revisions are 3, 4, 5")
        }
    }

    @Test func rollbackWithoutHistoryFails() async throws {
        try await withKubernetes { peer in
            let action = KubernetesRollbackAction(sources: sources(try peer.writeKubeconfig()))
            let result = await outcome(of: action, kubernetesContext(["namespace": "backend", "deployment": "worker"]))
            #expect(result.failure?.message == "k8s.rollback: deployment backend/worker has no earlier revision to "
                + "roll back to (no rollout history)")
        }
    }
}
