import Foundation

/// A real PostgreSQL server of its own for a test: `initdb` in a temporary folder, started on a free loopback port
/// with its Unix socket in that folder, stopped and deleted by `stop()` (or when released).
///
/// Unix-socket connections are trusted; TCP connections need a password (scram-sha-256). As root, `initdb` and the
/// server run as the `postgres` OS user, which owns the folder. Every server preloads `pg_stat_statements` (a database
/// has its view once `CREATE EXTENSION pg_stat_statements` runs there), and `startStandby(of:)` starts a streaming
/// standby of a running one.
public final class PostgresPeer: Sendable {
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The folder holding the data, the log and the Unix socket.
    public let directory: String
    /// The superuser `postgres`'s password (for TCP).
    public let superuserPassword: String
    private let tools: String
    private let maxConnections: Int

    /// Starts a server with `maxConnections` connection slots, on a thread of its own.
    /// - Throws: `PeerError` when no PostgreSQL is installed or it does not start.
    public static func start(maxConnections: Int = 30) async throws -> PostgresPeer {
        try await onOwnThread { try PostgresPeer(maxConnections: maxConnections) }
    }

    /// Starts a hot standby of `primary`, streaming its WAL: `pg_basebackup -R` into a temporary folder of its own,
    /// then started with `cluster_name` `name` (which `pg_stat_replication` shows as its `application_name`).
    /// - Throws: `PeerError` when the backup or the start fails.
    public static func startStandby(of primary: PostgresPeer, name: String = "standby1") async throws -> PostgresPeer {
        try await onOwnThread { try PostgresPeer(standbyOf: primary, name: name) }
    }

    private init(maxConnections: Int) throws {
        tools = try Self.findTools()
        self.maxConnections = maxConnections
        directory = try Self.makeDirectory()
        superuserPassword = "su-" + UUID().uuidString
        do {
            try superuserPassword.write(toFile: directory + "/pwfile", atomically: false, encoding: .utf8)
            if getuid() == 0 {
                try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: directory + "/pwfile")
            }
            try Self.runAsServerUser(
                tools + "/initdb",
                ["-D", directory + "/data", "-U", "postgres", "-N", "--auth-local=trust",
                 "--auth-host=scram-sha-256", "--pwfile=" + directory + "/pwfile"])
            port = try Self.launch(tools: tools, directory: directory, maxConnections: maxConnections)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    private init(standbyOf primary: PostgresPeer, name: String) throws {
        tools = primary.tools
        maxConnections = 30
        directory = try Self.makeDirectory()
        superuserPassword = primary.superuserPassword
        do {
            try Self.runAsServerUser(
                tools + "/pg_basebackup",
                ["-h", primary.directory, "-p", String(primary.port), "-U", "postgres", "-D", directory + "/data",
                 "-R", "-X", "stream", "-c", "fast", "-N"])
            port = try Self.launch(
                tools: tools, directory: directory, maxConnections: maxConnections,
                extraOptions: ["-c cluster_name=\(name)"])
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// A new folder `/tmp/rbpg-…` only its owner may enter, owned by the `postgres` OS user when this process is root.
    private static func makeDirectory() throws -> String {
        let directory = "/tmp/rbpg-" + UUID().uuidString.prefix(13).lowercased()
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        if getuid() == 0 {
            do {
                try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: directory)
            } catch {
                try? FileManager.default.removeItem(atPath: directory)
                throw error
            }
        }
        return directory
    }

    deinit {
        stop()
    }

    /// Stops the server at once and deletes its folder; later calls do nothing.
    public func stop() {
        guard FileManager.default.fileExists(atPath: directory) else { return }
        _ = try? Self.runAsServerUser(tools + "/pg_ctl", ["-D", directory + "/data", "stop", "-m", "immediate", "-w"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Shuts the server down (`pg_ctl stop -m fast`: every session is terminated), keeping its data, and starts it
    /// again on the same port after `downFor`, as a restart or a failover does to its clients.
    public func restart(downFor: Duration) async throws {
        try await onOwnThread { [self] in
            try Self.runAsServerUser(tools + "/pg_ctl", ["-D", directory + "/data", "stop", "-m", "fast", "-w"])
        }
        try await Task.sleep(for: downFor)
        try await onOwnThread { [self] in
            try Self.startServer(tools: tools, directory: directory, port: port, maxConnections: maxConnections)
        }
    }

    /// A libpq connection string for TCP on 127.0.0.1 as `user` with `password`.
    public func conninfo(user: String = "postgres", password: String? = nil, database: String = "postgres") -> String {
        var parts = ["host=127.0.0.1", "port=\(port)", "dbname=\(database)", "user=\(user)"]
        if let password = password ?? (user == "postgres" ? superuserPassword : nil) {
            parts.append("password=\(password)")
        }
        return parts.joined(separator: " ")
    }

    /// Runs `sql` as `user` over the Unix socket and returns psql's unaligned, tuples-only output, trimmed.
    /// - Throws: `PeerError` with psql's message when the statement fails.
    @discardableResult
    public func sql(_ sql: String, user: String = "postgres", database: String = "postgres") async throws -> String {
        try await onOwnThread { try self.psql(sql, user: user, database: database) }
    }

    private func psql(_ sql: String, user: String, database: String = "postgres") throws -> String {
        let result = try PeerProcess.run(tools + "/psql", psqlArguments(user: user, database: database) + ["-c", sql])
        guard result.status == 0 else { throw PeerError("psql failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates a login role with a password; `options` adds role options (`SUPERUSER`).
    public func createRole(
        _ name: String, password: String, options: String = "", grants: [String] = []
    ) async throws {
        try await sql("CREATE ROLE \(name) LOGIN PASSWORD '\(password)' \(options)")
        for grant in grants { try await sql("GRANT \(grant) TO \(name)") }
    }

    /// Starts `psql` as `user` with `application_name` `application`, running `statements` and, when `keepOpen`, holding
    /// its session open (and whatever transaction the statements began) until `PostgresClient.end()`.
    public func startSession(
        _ statements: String, user: String, application: String, keepOpen: Bool = false
    ) throws -> PostgresClient {
        try PostgresClient(
            psql: tools + "/psql", arguments: psqlArguments(user: user), statements: statements,
            application: application, keepOpen: keepOpen)
    }

    /// Waits until a backend of `application` is in `state` (`active`, `idle in transaction`), and when
    /// `waitEventType` is given waits for that (`Lock`); returns its pid.
    /// - Throws: `PeerError` when none is within `timeout`.
    public func backend(
        application: String, state: String, waitEventType: String? = nil, timeout: Duration = .seconds(30)
    ) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        let waiting = waitEventType.map { " AND wait_event_type = '\($0)'" } ?? ""
        while ContinuousClock.now < deadline {
            let found = try await sql(
                "SELECT pid FROM pg_stat_activity WHERE application_name = '\(application)' AND state = '\(state)'"
                    + waiting)
            if let pid = Int(found.split(separator: "\n").first ?? "") { return pid }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PeerError("no backend of '\(application)' reached state '\(state)' within \(timeout)")
    }

    /// The pids of client backends now, with their application names.
    public func backends() async throws -> [Int: String] {
        let output = try await sql(
            "SELECT pid, application_name FROM pg_stat_activity WHERE backend_type = 'client backend' "
                + "AND pid <> pg_backend_pid()")
        var backends: [Int: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            if let pid = Int(fields[0]) { backends[pid] = fields.count > 1 ? String(fields[1]) : "" }
        }
        return backends
    }

    private func psqlArguments(user: String, database: String = "postgres") -> [String] {
        ["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", String(port), "-U", user, "-d",
         database]
    }

    // MARK: - Starting

    private static func launch(
        tools: String, directory: String, maxConnections: Int, extraOptions: [String] = []
    ) throws -> Int {
        var lastError = ""
        for _ in 0..<3 {
            let port = try LoopbackPort.free()
            do {
                try startServer(
                    tools: tools, directory: directory, port: port, maxConnections: maxConnections,
                    extraOptions: extraOptions)
                return port
            } catch {
                lastError = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? "\(error)"
            }
        }
        throw PeerError("PostgreSQL did not start: \(lastError)")
    }

    private static func startServer(
        tools: String, directory: String, port: Int, maxConnections: Int, extraOptions: [String] = []
    ) throws {
        let options = [
            "-p \(port)", "-k \(directory)", "-c listen_addresses=127.0.0.1",
            "-c max_connections=\(maxConnections)", "-c shared_buffers=16MB", "-c fsync=off",
            "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c shared_preload_libraries=pg_stat_statements",
        ] + extraOptions
        try runAsServerUser(
            tools + "/pg_ctl",
            ["-D", directory + "/data", "-l", directory + "/log", "-w", "-t", "60", "-o",
             options.joined(separator: " "), "start"])
    }

    /// The folder with initdb, pg_ctl and psql: `$PG_BINDIR`, else the newest /usr/lib/postgresql/*/bin.
    private static func findTools() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["PG_BINDIR"] { return explicit }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw PeerError("no PostgreSQL server found under \(root) (run scripts/setup, or set PG_BINDIR)")
    }

    /// Runs a server tool, as the `postgres` OS user when this process is root (PostgreSQL refuses to run as root).
    @discardableResult
    private static func runAsServerUser(_ tool: String, _ arguments: [String]) throws -> String {
        let result =
            getuid() == 0
            // From /tmp: the current folder may be closed to the postgres user, and initdb needs to read it.
            ? try PeerProcess.run(
                "/usr/sbin/runuser",
                ["-u", "postgres", "--", "/bin/sh", "-c", "cd /tmp && exec \"$@\"", "sh", tool] + arguments)
            : try PeerProcess.run(tool, arguments)
        guard result.status == 0 else {
            throw PeerError("\(URL(fileURLWithPath: tool).lastPathComponent) failed: \(result.stderr)\(result.stdout)")
        }
        return result.stdout
    }

}
