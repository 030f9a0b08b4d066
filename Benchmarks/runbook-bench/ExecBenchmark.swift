import CSQLite
import Foundation

/// `runbook exec` of a 20-step runbook of `true` commands, every event durable (SQLite synchronous=FULL), against a
/// plain shell script running the same 20 commands the way the engine does (`sh -c true`).
enum ExecBenchmark {
    static func run(binary: String) throws {
        let (folder, script, arguments) = try workspace(store: "sqlite:state.db")
        defer { try? FileManager.default.removeItem(at: folder) }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: binary)
        check.arguments = arguments
        check.standardOutput = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            throw BenchmarkFailure("runbook \(arguments.joined(separator: " ")) exited \(check.terminationStatus)")
        }
        let times = interleavedSpawnTimes([(binary, arguments), ("/bin/sh", [script.path])], runs: 40)
        let (exec, shell) = (times[0], times[1])
        let floor = try measure(rounds: 3) {
            for _ in 0..<10 { try durableFloor(database: folder.appendingPathComponent("floor.db").path) }
        } / 10
        print("exec: a 20-step runbook of `true`, every event durable (medians of 40 runs taking turns with the script)")
        print(String(format: "  runbook exec       %.1f ms   (%.2f ms a step)", exec * 1_000, exec * 1_000 / 20))
        print(String(format: "  sh script          %.1f ms   (baseline: the same 20 commands)", shell * 1_000))
        print(String(format: "  ratio              %.2fx the shell script   (goal < 2x)", exec / shell))
        print(String(format: "  floor              %.1f ms   (%.2fx: the same commands, each after a durable SQLite commit,"
                             + " from this process)", floor * 1_000, floor / shell))
    }

    /// A temporary folder with a runbook of 20 `true` steps, a shell script of the same 20 commands and a configuration
    /// naming `store`; the script's path and the `exec` arguments that run the runbook.
    static func workspace(store: String) throws -> (folder: URL, script: URL, arguments: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rb-exec-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("runbooks"),
                                                withIntermediateDirectories: true)
        let steps = (0..<20).map { "  - { id: s\($0), run: \"true\", mutating: false }\n" }.joined()
        try ("name: twenty\nsteps:\n" + steps).write(
            to: folder.appendingPathComponent("runbooks/twenty.yaml"), atomically: true, encoding: .utf8)
        let script = folder.appendingPathComponent("twenty.sh")
        try (0..<20).map { _ in "sh -c true\n" }.joined().write(to: script, atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("runbook.config.yaml")
        try "store: \"\(store)\"\n".write(to: config, atomically: true, encoding: .utf8)
        let arguments = ["exec", "twenty", "--runbooks", folder.appendingPathComponent("runbooks").path,
                         "--config", config.path]
        return (folder, script, arguments)
    }

    /// What any engine that records each step durably before starting it pays at least: 21 `synchronous=FULL`
    /// commits of one small row (a start per step and the run's end) around 20 spawns of `sh -c true`, through
    /// SQLite's C API with nothing else around it.
    private static func durableFloor(database path: String) throws {
        var database: OpaquePointer?
        guard sqlite3_open(path, &database) == SQLITE_OK, let database else {
            throw BenchmarkFailure("cannot open \(path)")
        }
        defer { sqlite3_close(database) }
        let setup = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 256;"
            + " CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, line TEXT NOT NULL);"
        let insert = "BEGIN IMMEDIATE; INSERT INTO events (line) VALUES ("
            + "'{\"type\":\"step.started\",\"run\":\"r-20261204-150000-0000\",\"data\":{\"action\":\"shell\"}}'); COMMIT;"
        guard sqlite3_exec(database, setup, nil, nil, nil) == SQLITE_OK else { throw BenchmarkFailure("floor setup") }
        let words: [String] = ["/bin/sh", "-c", "true"]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        for step in 0...20 {
            guard sqlite3_exec(database, insert, nil, nil, nil) == SQLITE_OK else { throw BenchmarkFailure("floor commit") }
            guard step < 20 else { break }
            var pid: pid_t = 0
            guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { throw BenchmarkFailure("spawn") }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
}

/// A benchmark that could not measure what it should.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
