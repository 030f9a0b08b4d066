import Foundation
import RunbookLanguage
import Subprocess
import SystemPackage

/// `shell`, and what `run:` means: runs a command with `/bin/sh -c` (or `bash -c`) in its own session.
///
/// Output is passed to `ActionContext.emit` line by line as it arrives. When the task is cancelled (a step timeout,
/// Ctrl-C) the whole process group gets SIGTERM, then SIGKILL after ``terminationGrace``, so no grandchild survives
/// the step.
public struct ShellAction: Action {
    /// How many bytes of stdout, and of stderr, the outputs keep: the last ones.
    public static let outputLimit = 64 * 1024
    /// How long the process group has to exit after SIGTERM before it gets SIGKILL.
    public static let terminationGrace: Duration = .seconds(2)

    /// Creates the action.
    public init() {}

    /// The catalog's `shell` spec.
    public var spec: ActionSpec { .builtin("shell") }

    /// Runs `command`; outputs `exit_code`, `stdout`, `stderr` and whatever the command wrote to `$RUNBOOK_OUTPUT`.
    /// - Throws: `ActionFailure` when the command exits with a non-zero status (with the outputs), cannot start, or
    ///   the task is cancelled (`cancelled`).
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let command = try context.requiredString("command", action: "shell")
        let shell = context.string("shell") ?? "sh"
        let executable: Executable
        switch shell {
        case "sh": executable = .path("/bin/sh")
        case "bash": executable = .name("bash")
        default: throw ActionFailure("shell: 'shell' must be 'sh' or 'bash', not '\(shell)'")
        }
        let directory = try Self.workingDirectory(context)
        let extraEnvironment = try context.stringMap("env", action: "shell")
        guard !Task.isCancelled else { throw ActionFailure("cancelled") }

        let outputFile = try RunbookOutputFile.create()
        defer { outputFile.remove() }
        let environment = try Self.environment(
            context.environment, extraEnvironment, ["RUNBOOK_OUTPUT": outputFile.path])

        let run: ShellRun
        do {
            let result = try await Subprocess.run(
                executable, arguments: ["-c", command], environment: environment,
                workingDirectory: FilePath(directory), platformOptions: Self.platformOptions,
                input: .none, output: .sequence, error: .sequence
            ) { execution in
                async let stdout = Self.relay(execution.standardOutput, as: .stdout, to: context.emit)
                async let stderr = Self.relay(execution.standardError, as: .stderr, to: context.emit)
                return await ShellRun(
                    group: ProcessGroup(id: execution.processIdentifier.value), status: nil,
                    stdout: stdout, stderr: stderr)
            }
            run = ShellRun(
                group: result.closureResult.group, status: result.terminationStatus,
                stdout: result.closureResult.stdout, stderr: result.closureResult.stderr)
        } catch {
            guard !Task.isCancelled else { throw ActionFailure("cancelled") }
            throw ActionFailure("shell: could not run \(shell): \(error)")
        }

        var outputs: [String: Value] = [:]
        for (key, value) in outputFile.read() { outputs[key] = .string(value) }
        outputs["stdout"] = .string(run.stdout.text)
        outputs["stderr"] = .string(run.stderr.text)

        if Task.isCancelled {
            // Subprocess has signalled the group and reaped the shell; this catches what outlived the shell, such as a
            // background job that ignores SIGTERM.
            await run.group.terminate(grace: Self.terminationGrace)
            throw ActionFailure("cancelled", outputs: outputs)
        }
        switch run.status {
        case .exited(let code)?:
            outputs["exit_code"] = .number(Double(code))
            guard code == 0 else { throw ActionFailure("command exited with status \(code)", outputs: outputs) }
        case .signaled(let signal)?:
            outputs["exit_code"] = .number(Double(128 + signal))
            throw ActionFailure("command was killed by signal \(signal)", outputs: outputs)
        case nil:
            throw ActionFailure("shell: the command's exit status is unknown", outputs: outputs)
        }
        return outputs
    }

    /// A new session (so a new process group led by the shell), torn down as a group when the task is cancelled.
    private static var platformOptions: PlatformOptions {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: terminationGrace)
        ]
        return options
    }

    /// `with.cwd` resolved against the context's folder, or that folder; it must exist.
    private static func workingDirectory(_ context: ActionContext) throws(ActionFailure) -> String {
        var path = context.workingDirectory
        if let cwd = context.string("cwd"), !cwd.isEmpty {
            path = cwd.hasPrefix("/") ? cwd : (path.hasSuffix("/") ? path + cwd : path + "/" + cwd)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ActionFailure("shell: the working directory '\(path)' does not exist")
        }
        return path
    }

    /// The process's own environment with each layer of overrides applied in turn.
    private static func environment(_ layers: [String: String]...) throws(ActionFailure) -> Environment {
        var overrides: [Environment.Key: String?] = [:]
        for layer in layers {
            for (name, value) in layer {
                guard !name.isEmpty, !name.contains("="), !name.contains("\0"), !value.contains("\0") else {
                    throw ActionFailure("shell: '\(name)' cannot be an environment variable")
                }
                overrides[Environment.Key(stringLiteral: name)] = value
            }
        }
        return .inherit.updating(overrides)
    }

    /// Passes each line of `output` to `emit` as it arrives and keeps the output's tail.
    private static func relay(
        _ output: SubprocessOutputSequence, as stream: OutputLine.Stream,
        to emit: @escaping @Sendable (OutputLine) -> Void
    ) async -> OutputTail {
        var tail = OutputTail(limit: outputLimit)
        var splitter = LineSplitter()
        do {
            for try await buffer in output {
                let bytes = buffer.withUnsafeBytes { Array($0) }
                tail.append(bytes)
                for line in splitter.feed(bytes) { emit(OutputLine(stream: stream, text: line)) }
            }
        } catch {
            // Reading ends early only when the step is cancelled or the pipe breaks; what was read is kept.
        }
        if let last = splitter.finish() { emit(OutputLine(stream: stream, text: last)) }
        return tail
    }
}

/// What a shell run left behind.
private struct ShellRun: Sendable {
    var group: ProcessGroup
    var status: TerminationStatus?
    var stdout: OutputTail
    var stderr: OutputTail
}
