import Foundation

/// `runbook exec` of a 20-step runbook of `true` commands, every event durable (SQLite synchronous=FULL), against a
/// plain shell script running the same 20 commands the way the engine does (`sh -c true`).
enum ExecBenchmark {
    static func run(binary: String, spawnTime: (String, [String], Int) -> Double) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rb-exec-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("runbooks"),
                                                withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let steps = (0..<20).map { "  - { id: s\($0), run: \"true\", mutating: false }\n" }.joined()
        try ("name: twenty\nsteps:\n" + steps).write(
            to: folder.appendingPathComponent("runbooks/twenty.yaml"), atomically: true, encoding: .utf8)
        let script = folder.appendingPathComponent("twenty.sh")
        try (0..<20).map { _ in "sh -c true\n" }.joined().write(to: script, atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("runbook.config.yaml")
        try "store: sqlite:state.db\n".write(to: config, atomically: true, encoding: .utf8)
        let arguments = ["exec", "twenty", "--runbooks", folder.appendingPathComponent("runbooks").path,
                         "--config", config.path]
        let check = Process()
        check.executableURL = URL(fileURLWithPath: binary)
        check.arguments = arguments
        check.standardOutput = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            throw BenchmarkFailure("runbook \(arguments.joined(separator: " ")) exited \(check.terminationStatus)")
        }
        let exec = spawnTime(binary, arguments, 10)
        let shell = spawnTime("/bin/sh", [script.path], 10)
        print("exec: a 20-step runbook of `true`, every event durable")
        print(String(format: "  runbook exec       %.1f ms   (%.2f ms a step)", exec * 1_000, exec * 1_000 / 20))
        print(String(format: "  sh script          %.1f ms   (baseline: the same 20 commands)", shell * 1_000))
        print(String(format: "  ratio              %.2fx the shell script   (goal < 2x)", exec / shell))
    }
}

/// A benchmark that could not measure what it should.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
