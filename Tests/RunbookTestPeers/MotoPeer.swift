import Foundation

/// A `moto_server` (PyPI `moto[server]`: a real AWS API emulator) on a free loopback port, in a temporary folder of
/// its own, with helpers that seed it through boto3 and read it back with the AWS CLI.
///
/// Start one with `MotoPeer.with { moto in … }`, which stops it and removes its folder afterwards.
public final class MotoPeer: @unchecked Sendable {
    // @unchecked: `process` is only touched by `start` (before the peer is shared) and `stop`, which tests call once
    // after their last use; everything else is immutable.

    /// The region the helpers use.
    public static let region = "us-east-1"
    /// The credentials moto accepts while it does not check signatures.
    public static let testingCredentials = Credentials(accessKeyID: "testing", secretAccessKey: "testing")

    /// The port it listens on.
    public let port: Int
    /// Its temporary folder (logs, files tests write).
    public let directory: URL
    private let process: PeerProcess

    /// `http://127.0.0.1:PORT`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// An access key, and a session token for temporary credentials.
    public struct Credentials: Sendable, Hashable {
        /// The access key id.
        public var accessKeyID: String
        /// The secret access key.
        public var secretAccessKey: String
        /// The session token of temporary credentials.
        public var sessionToken: String?

        /// Creates credentials.
        public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
        }

        /// The variables the AWS CLI, boto3 and runbook read them from.
        public var environment: [String: String] {
            var variables = ["AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey]
            if let sessionToken { variables["AWS_SESSION_TOKEN"] = sessionToken }
            return variables
        }
    }

    private init(port: Int, directory: URL, process: PeerProcess) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Starts a server, runs `body` with it, and stops it whatever happens.
    /// - Parameter unauthenticatedRequests: when given, moto checks signatures and IAM permissions of every request
    ///   after that many (`INITIAL_NO_AUTH_ACTION_COUNT`); otherwise it checks none.
    ///
    /// One server runs at a time in the test process: starting moto and the boto3 and AWS CLI processes that seed it
    /// take a core each, and suites that time their own work run alongside.
    public static func with<T>(
        unauthenticatedRequests: Int? = nil, _ body: (MotoPeer) async throws -> T
    ) async throws -> T {
        await turns.acquire()
        let result: Result<T, any Error>
        do {
            let peer = try await start(unauthenticatedRequests: unauthenticatedRequests)
            defer { peer.stop() }
            result = .success(try await body(peer))
        } catch {
            result = .failure(error)
        }
        await turns.release()
        return try result.get()
    }

    /// Whose turn it is to run a server.
    private static let turns = PeerTurns(concurrent: 1)

    /// Starts a server and waits until it accepts connections; retries on a new port when another process took it.
    public static func start(unauthenticatedRequests: Int? = nil) async throws -> MotoPeer {
        var lastError = PeerError("moto_server did not start")
        for _ in 0..<3 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let port = try LoopbackPort.free()
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "INITIAL_NO_AUTH_ACTION_COUNT")
            if let unauthenticatedRequests {
                environment["INITIAL_NO_AUTH_ACTION_COUNT"] = String(unauthenticatedRequests)
            }
            let log = directory.appendingPathComponent("moto.log")
            let process = try PeerProcess(
                "/usr/bin/env", ["moto_server", "-H", "127.0.0.1", "-p", String(port)], base: environment,
                directory: directory.path, output: log.path, error: log.path)
            let peer = MotoPeer(port: port, directory: directory, process: process)
            if await peer.waitUntilListening() { return peer }
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            lastError = PeerError("moto_server did not start on port \(port): \(output.suffix(500))")
            peer.stop()
        }
        throw lastError
    }

    /// Stops the server and removes its folder.
    public func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Polls the port until a connection succeeds (up to 30 s) or the process ends.
    private func waitUntilListening() async -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, process.isRunning {
            if Self.accepts(port: port) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    private static func accepts(port: Int) -> Bool {
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard handle >= 0 else { return false }
        defer { close(handle) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    // MARK: - Seeding and reading back

    /// Runs a Python script with boto3 clients `ecs`, `logs`, `iam`, `sts`, `cloudwatch`, `rds` and `s3` bound to
    /// this server (and `json`, `time` and `datetime` imported), and returns what it printed.
    /// - Throws: `PeerError` with the script's errors when it fails.
    @discardableResult
    public func python(_ script: String, credentials: Credentials = MotoPeer.testingCredentials) throws -> String {
        let preamble = """
            import datetime, json, time, boto3
            def client(name):
                return boto3.client(name, endpoint_url="\(endpoint)", region_name="\(Self.region)")
            ecs, logs, iam, sts = client("ecs"), client("logs"), client("iam"), client("sts")
            cloudwatch, rds, s3 = client("cloudwatch"), client("rds"), client("s3")

            """
        return try run(["python3", "-c", preamble + script], credentials: credentials)
    }

    /// Runs `aws --endpoint-url … --output json ARGUMENTS` and returns its JSON output, parsed.
    /// - Throws: `PeerError` with the CLI's errors when it fails.
    public func aws(_ arguments: [String], credentials: Credentials = MotoPeer.testingCredentials) throws -> Any {
        let output = try run(
            ["aws", "--endpoint-url", endpoint, "--region", Self.region, "--output", "json"] + arguments,
            credentials: credentials)
        return try JSONSerialization.jsonObject(with: Data(output.utf8), options: [.fragmentsAllowed])
    }

    /// The service as `aws ecs describe-services` shows it.
    public func describeService(
        cluster: String, service: String, credentials: Credentials = MotoPeer.testingCredentials
    ) throws -> [String: Any] {
        let answer = try aws(
            ["ecs", "describe-services", "--cluster", cluster, "--services", service], credentials: credentials)
        guard let services = (answer as? [String: Any])?["services"] as? [[String: Any]], let first = services.first
        else { throw PeerError("aws ecs describe-services found no service \(service) in \(cluster)") }
        return first
    }

    private func run(_ arguments: [String], credentials: Credentials) throws -> String {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["AWS_CONFIG_FILE"] = directory.appendingPathComponent("no-config").path
        environment["AWS_SHARED_CREDENTIALS_FILE"] = directory.appendingPathComponent("no-credentials").path
        let outcome = try PeerProcess.run(
            "/usr/bin/env", arguments, environment: credentials.environment, base: environment,
            directory: directory.path)
        guard outcome.status == 0 else {
            throw PeerError("\(arguments.prefix(3).joined(separator: " ")) failed: \(outcome.stderr.suffix(1_000))")
        }
        return outcome.stdout
    }
}
