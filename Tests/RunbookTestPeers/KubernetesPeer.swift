import Foundation
import Yams

/// A fake Kubernetes API server (`kubernetes_fake_apiserver.py`) on a free loopback port, with a throwaway CA, a
/// server certificate and a client certificate made by openssl in its own temporary folder; removed by `stop()`.
///
/// It serves TLS, bearer tokens and client certificates, discovery (enough for `kubectl`), pods and their logs,
/// Deployments with merge / strategic-merge / JSON patches and the scale subresource, and ReplicaSets, and writes a
/// request log the tests read.
///
/// `@unchecked Sendable`: every stored property is a constant set in `launch`; the `Process` is only touched by
/// `stop()`.
public final class KubernetesPeer: @unchecked Sendable {
    /// The peer's folder: certificates, state, request log, kubeconfigs.
    public let directory: URL
    /// `https://127.0.0.1:PORT`.
    public let server: String
    /// The port it listens on.
    public let port: Int
    private let process: PeerProcess

    /// The token the peer accepts for the user `alice`, who may do everything.
    public static let adminToken = "alice-token-3f9c"
    /// The token of `viewer`, who may only read.
    public static let viewerToken = "viewer-token-77aa"

    /// Starts a peer holding `state`, on a thread of its own so the waiting blocks no task of the cooperative pool.
    /// - Throws: `PeerError` when openssl or python3 fail, or the server does not come up within 15 seconds.
    public static func start(_ state: State) async throws -> KubernetesPeer {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try launch(state) }) }.start()
        }
    }

    /// Starts a peer holding `state`, blocking the calling thread until it listens.
    /// - Throws: `PeerError` when openssl or python3 fail, or the server does not come up within 15 seconds.
    public static func launch(_ state: State) throws -> KubernetesPeer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("k8s-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            try makeCertificates(in: directory)
            try state.json().write(to: directory.appendingPathComponent("state.json"))
            return try KubernetesPeer(directory: directory)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    private init(directory: URL) throws {
        self.directory = directory
        let file = { (name: String) in directory.appendingPathComponent(name).path }
        let process = try PeerProcess(
            "/usr/bin/env",
            [
                "python3", Self.script, "--state", file("state.json"), "--cert", file("server.crt"), "--key",
                file("server.key"), "--client-ca", file("ca.crt"), "--port-file", file("port"), "--log",
                file("requests.jsonl"), "--snapshot", file("snapshot.json"),
            ],
            error: file("server.log"))
        self.process = process
        let deadline = Date().addingTimeInterval(15)
        var port: Int?
        while port == nil, Date() < deadline, process.isRunning {
            port = (try? String(contentsOfFile: file("port"), encoding: .utf8)).flatMap { Int($0) }
            if port == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let port else {
            process.stop()
            let log = (try? String(contentsOfFile: file("server.log"), encoding: .utf8)) ?? ""
            throw PeerError("the fake Kubernetes API server did not start: \(log)")
        }
        self.port = port
        self.server = "https://127.0.0.1:\(port)"
    }

    deinit { stop() }

    /// Stops the server and removes its folder.
    public func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The path of `name` in the peer's folder.
    public func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The text of a PEM file the peer made: `ca.crt`, `client.crt`, `client.key`, `other-ca.crt`.
    public func pem(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    // MARK: - What happened

    /// One request the server received.
    public struct Request: Decodable, Sendable, Hashable {
        /// The method.
        public var method: String
        /// The path, without the query.
        public var path: String
        /// The query parameters.
        public var query: [String: [String]]
        /// The Content-Type header.
        public var contentType: String
        /// The body as text.
        public var body: String
        /// The authenticated user, nil when unauthenticated.
        public var user: String?
        /// The status it answered.
        public var status: Int
        /// The User-Agent header.
        public var userAgent: String
    }

    /// Every request so far, oldest first.
    public func requests() throws -> [Request] {
        let text = try String(contentsOfFile: path("requests.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    /// The requests so far without discovery (`/api`, `/apis`, `/version`, …), which only kubectl sends.
    public func resourceRequests() throws -> [Request] {
        try requests().filter { $0.path.contains("/namespaces/") }
    }

    /// The object `kind` (`deployments`, `pods`, `replicasets`) called `name` in `namespace` as it is now, as JSON.
    public func object(_ kind: String, _ namespace: String, _ name: String) throws -> [String: Any]? {
        let data = try Data(contentsOf: URL(fileURLWithPath: path("snapshot.json")))
        let snapshot = try JSONSerialization.jsonObject(with: data)
        let items = (snapshot as? [String: Any])?[kind] as? [[String: Any]] ?? []
        return items.first {
            let metadata = $0["metadata"] as? [String: Any]
            return metadata?["name"] as? String == name && metadata?["namespace"] as? String == namespace
        }
    }

    /// Runs the real `kubectl ARGUMENTS` against this peer with `kubeconfig`, on a thread of its own.
    /// - Returns: its exit status and its standard output and error together.
    public func kubectl(_ arguments: [String], kubeconfig: String) async throws -> (status: Int32, output: String) {
        let cache = path("kubectl-cache")
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        let outcome = try PeerProcess.run(
                            "/usr/bin/env", ["kubectl", "--kubeconfig", kubeconfig, "--cache-dir", cache] + arguments)
                        return (outcome.status, outcome.stdout + outcome.stderr)
                    })
            }.start()
        }
    }

    // MARK: - Kubeconfigs

    /// How a kubeconfig's user authenticates.
    public enum Credential: Sendable {
        /// `client-certificate-data` and `client-key-data`.
        case clientCertificateData
        /// `client-certificate` and `client-key` files, written beside the kubeconfig and named relatively.
        case clientCertificateFiles
        /// `token`.
        case token(String)
        /// `tokenFile`, a file holding the token.
        case tokenFile(String)
        /// An `exec` plugin: a shell script's text, written beside the kubeconfig and named relatively.
        case exec(script: String)
    }

    /// How a kubeconfig's cluster checks the server's certificate.
    public enum Trust: Sendable {
        /// `certificate-authority-data` with the peer's CA.
        case certificateAuthorityData
        /// `certificate-authority`, a relative path to a copy of the CA beside the kubeconfig.
        case certificateAuthorityFile
        /// `insecure-skip-tls-verify: true`.
        case skipVerification
        /// A CA that did not sign the server's certificate.
        case wrongAuthority
    }

    /// Writes a kubeconfig with one context `context` (cluster and user of the same name) into `folder` (made when
    /// missing) and returns its path.
    public func writeKubeconfig(
        context: String = "fake", credential: Credential = .token(KubernetesPeer.adminToken),
        trust: Trust = .certificateAuthorityData, namespace: String? = nil, currentContext: Bool = true,
        server: String? = nil, folder: String = "kube", file: String = "config"
    ) throws -> String {
        let folderURL = directory.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: folderURL, withIntermediateDirectories: true)
        func base64(_ name: String) throws -> String { Data(try pem(name).utf8).base64EncodedString() }
        func copy(_ name: String, as copyName: String) throws {
            try pem(name).write(to: folderURL.appendingPathComponent(copyName), atomically: true, encoding: .utf8)
        }
        var cluster: String
        switch trust {
        case .certificateAuthorityData: cluster = "certificate-authority-data: \(try base64("ca.crt"))"
        case .wrongAuthority: cluster = "certificate-authority-data: \(try base64("other-ca.crt"))"
        case .skipVerification: cluster = "insecure-skip-tls-verify: true"
        case .certificateAuthorityFile:
            try FileManager.default.createDirectory(
                at: folderURL.appendingPathComponent("pki"), withIntermediateDirectories: true)
            try copy("ca.crt", as: "pki/\(context)-ca.crt")
            cluster = "certificate-authority: pki/\(context)-ca.crt"
        }
        cluster = "server: \(server ?? self.server)\n      " + cluster
        let user: String
        switch credential {
        case .clientCertificateData:
            user = "client-certificate-data: \(try base64("client.crt"))\n      "
                + "client-key-data: \(try base64("client.key"))"
        case .clientCertificateFiles:
            try copy("client.crt", as: "\(context)-client.crt")
            try copy("client.key", as: "\(context)-client.key")
            user = "client-certificate: \(context)-client.crt\n      client-key: \(context)-client.key"
        case .token(let token):
            user = "token: \(token)"
        case .tokenFile(let path):
            user = "tokenFile: \(path)"
        case .exec(let script):
            let scriptURL = folderURL.appendingPathComponent("\(context)-credential.sh")
            // Written through a close-on-exec descriptor: a child another test spawns meanwhile must not inherit it
            // open for writing, or executing the script fails with ETXTBSY ("Text file busy").
            let descriptor = open(scriptURL.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
            guard descriptor >= 0 else { throw PeerError("cannot write \(scriptURL.path): errno \(errno)") }
            let written = script.utf8CString.withUnsafeBufferPointer { Glibc.write(descriptor, $0.baseAddress, $0.count - 1) }
            close(descriptor)
            guard written == script.utf8.count else { throw PeerError("cannot write \(scriptURL.path)") }
            user = """
                exec:
                        apiVersion: client.authentication.k8s.io/v1
                        command: ./\(context)-credential.sh
                        args: [--cluster, \(context)]
                        env: [{name: FAKE_PLUGIN_CONTEXT, value: \(context)}]
                        interactiveMode: Never
                """
        }
        let text = """
            apiVersion: v1
            kind: Config
            \(currentContext ? "current-context: \(context)" : "")
            clusters:
            - name: \(context)
              cluster:
                  \(cluster)
            users:
            - name: \(context)
              user:
                  \(user)
            contexts:
            - name: \(context)
              context:
                cluster: \(context)
                user: \(context)
                \(namespace.map { "namespace: \($0)" } ?? "")

            """
        let path = folderURL.appendingPathComponent(file).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    // MARK: - Setup

    private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("kubernetes_fake_apiserver.py").path

    /// The real Kubernetes objects in `Fixtures/infra` beside this file, attributed in its `SOURCES.md`.
    public static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/infra")

    /// The text of the fixture `name`.
    public static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    private static func emptyFile(_ path: String) -> URL {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return URL(fileURLWithPath: path)
    }

    /// A CA, a server certificate for 127.0.0.1 it signs, a client certificate for `alice`, and an unrelated CA.
    private static func makeCertificates(in directory: URL) throws {
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let days = ["-days", "2"]
        let commands: [[String]] = [
            ["req", "-x509"] + key + ["-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=fake-k8s-ca"] + days,
            ["req", "-x509"] + key + ["-keyout", "other-ca.key", "-out", "other-ca.crt", "-subj", "/CN=other"] + days,
            ["req"] + key + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=kube-apiserver"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
             "server.crt", "-extfile", "server.ext"] + days,
            ["req"] + key + ["-keyout", "client.key", "-out", "client.csr", "-subj", "/O=system:masters/CN=alice"],
            ["x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
             "client.crt", "-extfile", "client.ext"] + days,
        ]
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
            .write(to: directory.appendingPathComponent("server.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n"
            .write(to: directory.appendingPathComponent("client.ext"), atomically: true, encoding: .utf8)
        for arguments in commands {
            let outcome = try PeerProcess.run("/usr/bin/openssl", arguments, directory: directory.path)
            guard outcome.status == 0 else {
                throw PeerError("openssl \(arguments.prefix(2).joined(separator: " ")) failed")
            }
        }
    }
}
