import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("Kubernetes credentials")
struct KubernetesCredentialTests {
    /// Lists the web pods with `kubeconfig` and returns the user the server saw.
    private func user(_ peer: KubernetesPeer, _ kubeconfig: String, context: String? = nil) async throws -> String? {
        let action = KubernetesPodsAction(sources: sources(kubeconfig))
        let outputs = try await action.execute(
            kubernetesContext(["namespace": "shop", "selector": "app=web"], context: context))
        #expect(outputs["total"] == 2)
        return try peer.resourceRequests().last?.user
    }

    @Test func clientCertificateDataAndFiles() async throws {
        try await withKubernetes { peer in
            #expect(try await user(peer, try peer.writeKubeconfig(credential: .clientCertificateData)) == "alice")
            let files = try peer.writeKubeconfig(credential: .clientCertificateFiles, folder: "other")
            #expect(try await user(peer, files) == "alice")
        }
    }

    @Test func tokensTokenFilesAndTrust() async throws {
        try await withKubernetes { peer in
            #expect(try await user(peer, try peer.writeKubeconfig(credential: .token(KubernetesPeer.viewerToken)))
                == "viewer")
            let tokenFile = peer.path("token")
            try "\(KubernetesPeer.adminToken)\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            let viaFile = try peer.writeKubeconfig(
                credential: .tokenFile(tokenFile), trust: .certificateAuthorityFile, folder: "a")
            #expect(try await user(peer, viaFile) == "alice")
            let insecure = try peer.writeKubeconfig(trust: .skipVerification, folder: "b")
            #expect(try await user(peer, insecure) == "alice")
        }
    }

    @Test func execPluginIsRunOnceAndCachedUntilExpiry() async throws {
        try await withKubernetes { peer in
            let calls = peer.path("plugin-calls")
            let script = """
                #!/bin/sh
                echo "$FAKE_PLUGIN_CONTEXT $* $KUBERNETES_EXEC_INFO" >> '\(calls)'
                cat <<JSON
                {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
                 "status":{"token":"\(KubernetesPeer.adminToken)","expirationTimestamp":"$EXPIRY"}}
                JSON
                """
            let lasting = try peer.writeKubeconfig(
                context: "lasting", credential: .exec(script: script.replacingOccurrences(
                    of: "$EXPIRY", with: "2099-01-01T00:00:00Z")), folder: "lasting")
            for _ in 0..<3 { #expect(try await user(peer, lasting) == "alice") }
            let lines = try String(contentsOfFile: calls, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.hasPrefix(
                "lasting --cluster lasting {\"apiVersion\":\"client.authentication.k8s.io/v1\","
                    + "\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}") == true)

            // A credential about to expire is not kept: each request runs the plugin again.
            let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(5))
            let expiring = try peer.writeKubeconfig(
                context: "expiring", credential: .exec(script: script.replacingOccurrences(of: "$EXPIRY", with: soon)),
                folder: "expiring")
            for _ in 0..<2 { #expect(try await user(peer, expiring) == "alice") }
            let all = try String(contentsOfFile: calls, encoding: .utf8).split(separator: "\n")
            #expect(all.filter { $0.hasPrefix("expiring") }.count == 2)
        }
    }

    @Test func execPluginClientCertificate() async throws {
        try await withKubernetes { peer in
            let credential: Value = [
                "apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                "status": ["clientCertificateData": .string(try peer.pem("client.crt")),
                           "clientKeyData": .string(try peer.pem("client.key"))],
            ]
            let reply = peer.path("exec-credential.json")
            try credential.jsonString(pretty: false).write(toFile: reply, atomically: true, encoding: .utf8)
            let kubeconfig = try peer.writeKubeconfig(credential: .exec(script: "#!/bin/sh\ncat '\(reply)'\n"))
            let found = try await user(peer, kubeconfig)
            #expect(found == "alice")
        }
    }

    @Test func failingExecPluginIsReported() async throws {
        try await withKubernetes { peer in
            let kubeconfig = try peer.writeKubeconfig(
                credential: .exec(script: "#!/bin/sh\necho 'token expired, run login' >&2\nexit 3\n"))
            let result = await outcome(
                of: KubernetesPodsAction(sources: sources(kubeconfig)),
                kubernetesContext(["namespace": "shop", "selector": "app=web"]))
            #expect(result.failure?.message == "environment 'prod' (context 'fake', \(peer.server)): the exec "
                + "credential plugin '\(peer.path("kube/fake-credential.sh"))' failed (exited(3)): token expired, "
                + "run login; run it by hand to see why")
        }
    }

    @Test func mergedKubeconfigsAndEnvironmentOverrides() async throws {
        try await withKubernetes { peer in
            // The first file names the current context and a namespace; the second defines the other context.
            let first = try peer.writeKubeconfig(
                context: "first", credential: .token(KubernetesPeer.viewerToken), namespace: "shop", folder: "one")
            let second = try peer.writeKubeconfig(
                context: "second", credential: .clientCertificateFiles, namespace: "backend", folder: "two")
            let merged = "\(first):/nonexistent/config:\(second)"
            #expect(try await user(peer, merged) == "viewer")
            #expect(try await user(peer, merged, context: "second") == "alice")

            // The environment's namespace wins over the context's.
            let action = KubernetesPodsAction(sources: sources(merged))
            let outputs = try await action.execute(
                kubernetesContext(["selector": "app=web"], context: "second", namespace: "shop"))
            #expect(outputs["total"] == 2)
            #expect(try peer.resourceRequests().last?.path == "/api/v1/namespaces/shop/pods")
        }
    }

    @Test func inClusterServiceAccount() async throws {
        try await withKubernetes { peer in
            let accountDirectory = peer.path("serviceaccount")
            try FileManager.default.createDirectory(atPath: accountDirectory, withIntermediateDirectories: true)
            try KubernetesPeer.adminToken.write(toFile: accountDirectory + "/token", atomically: true, encoding: .utf8)
            try peer.pem("ca.crt").write(toFile: accountDirectory + "/ca.crt", atomically: true, encoding: .utf8)
            try "shop\n".write(toFile: accountDirectory + "/namespace", atomically: true, encoding: .utf8)
            let inCluster = KubernetesCredentialSources(
                environment: [
                    "HOME": "/nonexistent", "KUBERNETES_SERVICE_HOST": "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT": String(peer.port),
                ],
                serviceAccountDirectory: accountDirectory)
            let outputs = try await KubernetesPodsAction(sources: inCluster).execute(
                kubernetesContext(["selector": "app=web"]))
            #expect(outputs["total"] == 2)
            let request = try #require(try peer.resourceRequests().last)
            #expect(request.user == "alice")
            #expect(request.path == "/api/v1/namespaces/shop/pods")
        }
    }
}
