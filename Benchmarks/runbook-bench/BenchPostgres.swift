import Foundation
import RunbookStore

/// A PostgreSQL server of the machine's newest installed version, started for the benchmarks in a temporary folder on
/// a Unix socket with its durability settings left on (fsync, synchronous_commit, full_page_writes), and stopped at
/// the end; as the `postgres` OS user when the benchmarks run as root, which PostgreSQL refuses.
final class BenchPostgres {
    private let tools: String
    private let directory: String
    private let port = 54_000 + Int(getpid() % 1_000)

    init() throws {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init)
            .sorted(by: >)
        guard let version = versions.first(where: {
            FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb")
        }) else { throw BenchmarkFailure("no PostgreSQL server under \(root) (run scripts/setup)") }
        tools = "\(root)/\(version)/bin"
        directory = "/tmp/rb-pg-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory)
        try tool("initdb", ["-D", directory + "/data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
        try tool("pg_ctl", ["-D", directory + "/data", "-l", directory + "/log", "-w", "-t", "60", "-o",
                            "-p \(port) -k \(directory) -c listen_addresses='' -c max_connections=100", "start"])
    }

    /// A new database with a runbook store in it; its connection string.
    func freshDatabase(_ name: String) throws -> String {
        try tool("psql", ["-X", "-q", "-h", directory, "-p", String(port), "-U", "postgres", "-d", "postgres",
                          "-c", "CREATE DATABASE \(name)"])
        let conninfo = "host=\(directory) port=\(port) user=postgres dbname=\(name)"
        try PostgresEventStore.initialize(conninfo: conninfo)
        return conninfo
    }

    func stop() {
        _ = try? tool("pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a server tool to its end with its output on /dev/null (posix_spawn and waitpid: Foundation's `Process`
    /// waits on a run loop that top-level async code does not turn).
    private func tool(_ name: String, _ arguments: [String]) throws {
        let words = getuid() == 0
            ? ["/usr/sbin/runuser", "-u", "postgres", "--", "/bin/sh", "-c", "cd /tmp && exec \"$0\" \"$@\"",
               "\(tools)/\(name)"] + arguments
            : ["\(tools)/\(name)"] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        guard posix_spawn(&pid, words[0], &actions, nil, argv, environ) == 0 else {
            throw BenchmarkFailure("cannot start \(name)")
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0 else { throw BenchmarkFailure("\(name) failed (wait status \(status))") }
    }
}
