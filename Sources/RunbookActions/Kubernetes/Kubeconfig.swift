import Foundation
import RunbookLanguage
import Yams

/// The parts of a kubeconfig (`~/.kube/config`, `$KUBECONFIG`) that say where a cluster is and how to log in to it.
///
/// Relative file paths are resolved against the folder of the file that names them when the file is read, so a merged
/// configuration holds only absolute paths.
struct Kubeconfig: Sendable, Hashable {
    /// Clusters by name.
    var clusters: [String: Cluster] = [:]
    /// Users (credentials) by name.
    var users: [String: User] = [:]
    /// Contexts by name.
    var contexts: [String: Context] = [:]
    /// The context used when none is chosen.
    var currentContext: String?

    /// Where a cluster's API server is and how its certificate is checked.
    struct Cluster: Sendable, Hashable {
        /// The API server's URL, e.g. `https://10.0.0.1:6443`.
        var server: String?
        /// PEM certificate authorities (`certificate-authority-data`, base64-decoded).
        var certificateAuthorityData: [UInt8]?
        /// A PEM file of certificate authorities (`certificate-authority`).
        var certificateAuthorityPath: String?
        /// `insecure-skip-tls-verify`.
        var skipsTLSVerification = false
    }

    /// How to authenticate.
    struct User: Sendable, Hashable {
        /// PEM client certificate (`client-certificate-data`).
        var clientCertificateData: [UInt8]?
        /// A PEM client certificate file (`client-certificate`).
        var clientCertificatePath: String?
        /// PEM private key (`client-key-data`).
        var clientKeyData: [UInt8]?
        /// A PEM private key file (`client-key`).
        var clientKeyPath: String?
        /// A bearer token (`token`).
        var token: String?
        /// A file holding a bearer token (`tokenFile`), read at each use.
        var tokenFile: String?
        /// A credential plugin (`exec`).
        var exec: ExecCredentialPlugin?
    }

    /// A cluster, a user and a default namespace under one name.
    struct Context: Sendable, Hashable {
        /// The cluster's name.
        var cluster: String?
        /// The user's name.
        var user: String?
        /// The default namespace.
        var namespace: String?
    }
}

extension Kubeconfig {
    /// Parses one kubeconfig file's text; `directory` is the file's folder, for relative paths.
    /// - Throws: a sentence naming `path` and what is wrong.
    init(yaml: String, path: String, directory: String) throws(KubeconfigError) {
        let document: Value
        do {
            document = try Yams.compose(yaml: yaml).map(Self.value) ?? .null
        } catch {
            throw KubeconfigError("the kubeconfig '\(path)' is not valid YAML (\(error))")
        }
        if case .null = document { return }
        guard case .object = document else {
            throw KubeconfigError("the kubeconfig '\(path)' is not a mapping")
        }
        let reader = Reader(path: path, directory: directory)
        currentContext = document.member("current-context").text
        for (name, entry) in try reader.namedEntries(document, "clusters", "cluster") where clusters[name] == nil {
            clusters[name] = try reader.cluster(entry, name: name)
        }
        for (name, entry) in try reader.namedEntries(document, "users", "user") where users[name] == nil {
            users[name] = try reader.user(entry, name: name)
        }
        for (name, entry) in try reader.namedEntries(document, "contexts", "context") where contexts[name] == nil {
            contexts[name] = Context(
                cluster: entry.member("cluster").text, user: entry.member("user").text,
                namespace: entry.member("namespace").text)
        }
    }

    /// A YAML node as a value whose scalars stay text (a server `https://h:6443` must not become a number), except
    /// plain `true`/`false` and `null`.
    private static func value(_ node: Node) -> Value {
        if let scalar = node.scalar {
            guard scalar.style == .plain else { return .string(scalar.string) }
            switch scalar.string {
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            case "", "~", "null", "Null", "NULL": return .null
            default: return .string(scalar.string)
            }
        }
        if let mapping = node.mapping {
            var members: [String: Value] = [:]
            for (key, entry) in mapping { members[key.string ?? ""] = value(entry) }
            return .object(members)
        }
        if let sequence = node.sequence { return .array(sequence.map(value)) }
        return .null
    }

    /// This configuration with `other` merged in as kubectl merges `$KUBECONFIG` files: the first file to set a
    /// cluster, user or context name keeps it, and the first `current-context` wins.
    func merging(_ other: Kubeconfig) -> Kubeconfig {
        var merged = self
        merged.clusters.merge(other.clusters) { first, _ in first }
        merged.users.merge(other.users) { first, _ in first }
        merged.contexts.merge(other.contexts) { first, _ in first }
        if merged.currentContext?.isEmpty ?? true { merged.currentContext = other.currentContext }
        return merged
    }

    /// Reads the entries of one file.
    private struct Reader {
        let path: String
        let directory: String

        /// `clusters: [{name, cluster: {...}}]` as (name, the inner mapping) pairs, in file order.
        func namedEntries(_ document: Value, _ key: String, _ inner: String) throws(KubeconfigError) -> [(
            String, Value
        )] {
            switch document.member(key) {
            case .null:
                return []
            case .array(let items):
                var entries: [(String, Value)] = []
                for item in items {
                    guard let name = item.member("name").text, !name.isEmpty else {
                        throw KubeconfigError("the kubeconfig '\(path)' has an entry of '\(key)' without a name")
                    }
                    entries.append((name, item.member(inner)))
                }
                return entries
            default:
                throw KubeconfigError("'\(key)' in the kubeconfig '\(path)' must be a list")
            }
        }

        func cluster(_ entry: Value, name: String) throws(KubeconfigError) -> Cluster {
            Cluster(
                server: entry.member("server").text,
                certificateAuthorityData: try base64(entry, "certificate-authority-data", of: "cluster '\(name)'"),
                certificateAuthorityPath: file(entry, "certificate-authority"),
                skipsTLSVerification: entry.member("insecure-skip-tls-verify").isTruthy)
        }

        func user(_ entry: Value, name: String) throws(KubeconfigError) -> User {
            let what = "user '\(name)'"
            var user = User(
                clientCertificateData: try base64(entry, "client-certificate-data", of: what),
                clientCertificatePath: file(entry, "client-certificate"),
                clientKeyData: try base64(entry, "client-key-data", of: what),
                clientKeyPath: file(entry, "client-key"),
                token: entry.member("token").text,
                tokenFile: file(entry, "tokenFile"))
            if case .object = entry.member("exec") {
                user.exec = try ExecCredentialPlugin(entry.member("exec"), user: name, path: path, directory: directory)
            }
            return user
        }

        /// A path value resolved against the file's folder.
        func file(_ entry: Value, _ key: String) -> String? {
            guard let text = entry.member(key).text, !text.isEmpty else { return nil }
            return Kubeconfig.resolve(text, against: directory)
        }

        func base64(_ entry: Value, _ key: String, of what: String) throws(KubeconfigError) -> [UInt8]? {
            guard let text = entry.member(key).text, !text.isEmpty else { return nil }
            guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                throw KubeconfigError("'\(key)' of \(what) in the kubeconfig '\(path)' is not base64")
            }
            return Array(data)
        }
    }

    /// `path` made absolute against `directory`, unless it already is.
    static func resolve(_ path: String, against directory: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/") { return NSString(string: path).expandingTildeInPath }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }
}
