import Foundation
import RunbookLanguage

extension KubernetesConnection {
    /// The connection for `target`'s environment, as kubectl would make it.
    ///
    /// The kubeconfig is `$KUBECONFIG` (files merged, first wins) or `~/.kube/config`; the environment's
    /// `kubernetes.context` overrides `current-context` and its `kubernetes.namespace` the context's namespace. With no
    /// kubeconfig at all, a pod's service account is used when `KUBERNETES_SERVICE_HOST` is set.
    /// - Throws: `ActionFailure` naming the environment, the files looked at and what to fix.
    static func resolve(
        target: ActionTarget, sources: KubernetesCredentialSources
    ) throws(ActionFailure) -> KubernetesConnection {
        let label = target.environmentLabel
        let paths = sources.kubeconfigPaths
        if paths.isEmpty && target.kubernetes?.context == nil,
            let inCluster = try inCluster(target: target, sources: sources)
        {
            return inCluster
        }
        guard !paths.isEmpty else {
            throw ActionFailure(
                "\(label): no kubeconfig found (looked at \(sources.kubeconfigDescription)) and not running in a pod; "
                    + "set KUBECONFIG or create ~/.kube/config")
        }
        let config: Kubeconfig
        do {
            config = try load(paths)
        } catch {
            throw ActionFailure("\(label): \(error); fix the file or KUBECONFIG")
        }
        let files = paths.joined(separator: ":")
        guard let contextName = target.kubernetes?.context ?? config.currentContext, !contextName.isEmpty else {
            throw ActionFailure(
                "\(label): the kubeconfig (\(files)) has no current-context; set kubernetes.context for the "
                    + "environment in runbook.config.yaml or run 'kubectl config use-context'")
        }
        guard let context = config.contexts[contextName] else {
            throw ActionFailure(
                "\(label): the context '\(contextName)' is not in the kubeconfig (\(files)); known contexts: "
                    + (config.contexts.keys.sorted().joined(separator: ", ").nonEmpty ?? "none"))
        }
        guard let clusterName = context.cluster, let cluster = config.clusters[clusterName] else {
            throw ActionFailure(
                "\(label): the cluster '\(context.cluster ?? "")' of context '\(contextName)' is not in the kubeconfig "
                    + "(\(files))")
        }
        guard let server = cluster.server, !server.isEmpty else {
            throw ActionFailure("\(label): the cluster '\(clusterName)' in the kubeconfig (\(files)) has no server")
        }
        let user = context.user.flatMap { config.users[$0] } ?? Kubeconfig.User()
        var connection = KubernetesConnection(
            server: server.hasSuffix("/") ? String(server.dropLast()) : server,
            namespace: target.kubernetes?.namespace ?? context.namespace ?? "default",
            contextName: contextName, userName: context.user, environmentLabel: label, cluster: cluster,
            tlsOptions: [], authentication: .none)
        connection.tlsOptions = try connection.tlsOptions(for: cluster) + connection.clientCertificateOptions(user)
        if let token = user.token, !token.isEmpty {
            connection.authentication = .token(token)
        } else if let tokenFile = user.tokenFile {
            connection.authentication = .tokenFile(tokenFile)
        } else if let plugin = user.exec {
            connection.authentication = .exec(plugin)
        }
        return connection
    }

    /// The kubeconfig files read and merged, first file first.
    private static func load(_ paths: [String]) throws(KubeconfigError) -> Kubeconfig {
        var merged = Kubeconfig()
        for path in paths {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw KubeconfigError("cannot read the kubeconfig '\(path)'")
            }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            merged = merged.merging(try Kubeconfig(yaml: text, path: path, directory: directory))
        }
        return merged
    }

    /// A pod's service account, when `KUBERNETES_SERVICE_HOST` and `_PORT` are set; nil otherwise.
    private static func inCluster(
        target: ActionTarget, sources: KubernetesCredentialSources
    ) throws(ActionFailure) -> KubernetesConnection? {
        guard let host = sources.environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = sources.environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else { return nil }
        let directory = sources.serviceAccountDirectory
        let server = "https://" + (host.contains(":") ? "[\(host)]" : host) + ":" + port
        let label = target.environmentLabel
        guard FileManager.default.isReadableFile(atPath: directory + "/token") else {
            throw ActionFailure(
                "\(label): KUBERNETES_SERVICE_HOST is set but the service-account token '\(directory)/token' cannot be "
                    + "read; check automountServiceAccountToken, or provide a kubeconfig")
        }
        var cluster = Kubeconfig.Cluster(server: server)
        cluster.certificateAuthorityPath = directory + "/ca.crt"
        let fileNamespace = (try? String(contentsOfFile: directory + "/namespace", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var connection = KubernetesConnection(
            server: server, namespace: target.kubernetes?.namespace ?? fileNamespace?.nonEmpty ?? "default",
            contextName: nil, userName: nil, environmentLabel: label, cluster: cluster, tlsOptions: [],
            authentication: .tokenFile(directory + "/token"))
        connection.tlsOptions = try connection.tlsOptions(for: cluster)
        return connection
    }

    /// Certificate authorities and verification for `cluster`.
    private func tlsOptions(for cluster: Kubeconfig.Cluster) throws(ActionFailure) -> [CurlOption] {
        if cluster.skipsTLSVerification { return [.skipTLSVerification] }
        if let data = cluster.certificateAuthorityData { return [.certificateAuthorities(pem: data)] }
        if let path = cluster.certificateAuthorityPath {
            return [.certificateAuthorities(pem: try read(path, "certificate-authority"))]
        }
        return []
    }

    /// The user's client certificate and key, from data or files.
    private func clientCertificateOptions(_ user: Kubeconfig.User) throws(ActionFailure) -> [CurlOption] {
        var options: [CurlOption] = []
        if let data = user.clientCertificateData {
            options.append(.clientCertificate(pem: data))
        } else if let path = user.clientCertificatePath {
            options.append(.clientCertificate(pem: try read(path, "client-certificate")))
        }
        if let data = user.clientKeyData {
            options.append(.clientKey(pem: data))
        } else if let path = user.clientKeyPath {
            options.append(.clientKey(pem: try read(path, "client-key")))
        }
        return options
    }

    private func read(_ path: String, _ key: String) throws(ActionFailure) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ActionFailure(
                "\(endpointDescription): cannot read the \(key) file '\(path)'; check the path in the kubeconfig "
                    + "(relative paths are relative to the kubeconfig's folder)")
        }
        return Array(data)
    }
}
