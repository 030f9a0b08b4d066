import Foundation

/// A throwaway runbooks repository: `runbook.config.yaml`, `runbooks/`, and a store of its own, removed at the end.
final class TemporaryWorkspace {
    let root: URL

    init(config: String = "store: sqlite:.runbook/state.db\n") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rbws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("runbooks"), withIntermediateDirectories: true)
        try write("runbook.config.yaml", config)
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// Writes `text` to `path` inside the workspace.
    func write(_ path: String, _ text: String) throws {
        try text.write(to: root.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    /// Writes a runbook called `name`.
    func runbook(_ name: String, _ body: String) throws {
        try write("runbooks/\(name).yaml", "name: \(name)\n" + body)
    }

    /// The path of `name` inside the workspace.
    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    /// Runs `runbook ARGUMENTS` here and waits for it.
    func run(_ arguments: [String], user: String = "alice", environment: [String: String] = [:]) throws
        -> RunbookBinary.Outcome
    {
        try RunbookBinary.run(arguments, in: root, environment: ["RUNBOOK_USER": user].merging(environment) { $1 })
    }

    /// Starts `runbook ARGUMENTS` here without waiting.
    func start(_ arguments: [String], user: String = "alice") throws -> BackgroundRun {
        try BackgroundRun(arguments, in: root, environment: ["RUNBOOK_USER": user, "NO_COLOR": "1"])
    }

    /// The id of the newest run.
    func latestRun() throws -> String? {
        let result = try run(["runs", "--output", "json"])
        let runs = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        return runs?.first?["id"] as? String
    }

    /// The audit log's events, parsed.
    func events() throws -> [[String: Any]] {
        let export = try run(["audit", "export"])
        return try export.stdout.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// Polls `condition` every 100 ms for up to `seconds`.
    func waitFor(seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }
}

/// A `runbook` process started in the background, its output collected in files.
final class BackgroundRun {
    let process = Process()
    private let outURL: URL
    private let errURL: URL

    init(_ arguments: [String], in directory: URL, environment: [String: String]) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rbbg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        outURL = scratch.appendingPathComponent("out")
        errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: RunbookBinary.path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: outURL.deletingLastPathComponent())
    }

    /// Waits for the process to end and returns what it left.
    func wait() -> RunbookBinary.Outcome {
        process.waitUntilExit()
        return RunbookBinary.Outcome(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// Sends `signal` to the process.
    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// What it has printed so far.
    var stdout: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
}
