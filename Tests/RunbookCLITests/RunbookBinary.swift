import Foundation
import RunbookTestPeers

/// The built `runbook` executable, run as a user would run it.
struct RunbookBinary {
    /// What a finished process left behind.
    typealias Outcome = PeerProcess.Outcome

    /// The executable beside the test bundle (`.build/debug/runbook`), or `$RUNBOOK_BIN`.
    static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["RUNBOOK_BIN"] { return explicit }
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("runbook").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/runbook").path
    }()

    /// The package's root folder, found from this source file.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `runbook ARGUMENTS` in `directory` with `environment` added to a clean one.
    static func run(
        _ arguments: [String], in directory: URL = packageRoot, environment: [String: String] = [:]
    ) throws -> Outcome {
        try runProgram(path, arguments, in: directory, environment: environment)
    }

    /// Runs any program and collects its output.
    static func runProgram(
        _ program: String, _ arguments: [String], in directory: URL = packageRoot,
        environment: [String: String] = [:]
    ) throws -> Outcome {
        var base = ProcessInfo.processInfo.environment
        base["NO_COLOR"] = "1"
        base.removeValue(forKey: "RUNBOOK_PATH")
        base.removeValue(forKey: "FORCE_COLOR")
        return try PeerProcess.run(program, arguments, environment: environment, base: base, directory: directory.path)
    }
}
