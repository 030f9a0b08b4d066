import Foundation
import RunbookTestPeers

/// A throwaway runbooks repository: `runbook.config.yaml`, `runbooks/`, and a store of its own, removed at the end.
///
/// `@unchecked Sendable`: its one stored property is a constant, and what it does goes to the file system and to
/// processes, which tests may use from several threads at once (racing answers).
final class TemporaryWorkspace: @unchecked Sendable {
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

    /// Runs `runbook ARGUMENTS` here as `user` (a person of ``TestAccounts``, their name also given as
    /// `$RUNBOOK_USER`, a display name) and waits for it.
    func run(_ arguments: [String], user: String = "alice", environment: [String: String] = [:]) throws
        -> RunbookBinary.Outcome
    {
        let (program, arguments) = prepare(arguments, as: user)
        return try RunbookBinary.runProgram(
            program, arguments, in: root, environment: ["RUNBOOK_USER": user].merging(environment) { $1 })
    }

    /// Starts `runbook ARGUMENTS` here as `user` without waiting.
    func start(_ arguments: [String], user: String = "alice", environment: [String: String] = [:]) throws
        -> BackgroundRun
    {
        let (program, arguments) = prepare(arguments, as: user)
        return try BackgroundRun(
            program, arguments, in: root,
            environment: ["RUNBOOK_USER": user, "NO_COLOR": "1"].merging(environment) { $1 })
    }

    /// The command that runs `runbook ARGUMENTS` as `user`; the workspace is shared first when that is another
    /// account.
    private func prepare(_ arguments: [String], as user: String) -> (String, [String]) {
        if TestAccounts.accounts[user] != nil { TestAccounts.share(root) }
        return TestAccounts.command(RunbookBinary.path, arguments, as: user)
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
    private let process: PeerProcess
    private let outPath: String
    private let errPath: String
    private let scratch: URL

    init(_ program: String = RunbookBinary.path, _ arguments: [String], in directory: URL,
         environment: [String: String]) throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rbbg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        outPath = scratch.appendingPathComponent("out").path
        errPath = scratch.appendingPathComponent("err").path
        process = try PeerProcess(
            program, arguments, environment: environment, directory: directory.path, output: outPath,
            error: errPath)
    }

    deinit {
        if process.isRunning { process.signal(SIGKILL) }
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Waits for the process to end and returns what it left.
    func wait() -> RunbookBinary.Outcome {
        let status = process.wait()
        return RunbookBinary.Outcome(status: status, stdout: stdout, stderr: read(errPath))
    }

    /// Waits up to `seconds` for the process to end (then kills it) and returns what it left.
    func wait(seconds: Double) -> RunbookBinary.Outcome {
        let status = process.wait(seconds: seconds)
        return RunbookBinary.Outcome(status: status, stdout: stdout, stderr: read(errPath))
    }

    /// Sends `signal` to the process.
    func signal(_ number: Int32) { process.signal(number) }

    /// What it has printed so far.
    var stdout: String { read(outPath) }

    private func read(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }
}
