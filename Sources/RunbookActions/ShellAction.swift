import Foundation
import RunbookLanguage

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

    /// What `/bin/sh` runs first, before anything of the step: it waits for the go-ahead on descriptor 3, exits
    /// without running anything when the gate closes without one, and closes the descriptor. For `sh` steps it is on
    /// the command's first line, so the shell's line numbers stay the command's own (`sh -c` reads no start-up file
    /// and imports no functions, so nothing else runs before it).
    static let waitForStart = "read -r _ <&3 || exit 125; exec 3<&-; "

    /// The script `/bin/sh -c` runs: the gate, then the command, then its exit status written to `statusFile`, so a
    /// runner that continues the run after this one died can learn how the command ended (see ``StepProcess``).
    ///
    /// An `sh` command runs in a subshell on the script's first line, so the shell's line numbers stay the command's
    /// own and `$$` is still the step's shell; a `bash` command runs as `bash -c COMMAND` with the arguments of an
    /// ungated start, after the gate: bash itself runs code before its command (`$BASH_ENV`, functions imported from
    /// the environment, even one named `read`), which must not run before the step's start is durable.
    static func script(shell: String, command: String, statusFile: String) -> String {
        let quoted = "'" + statusFile.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        let record = #"s=$?; echo "$s" > "# + quoted + #" 2>/dev/null; exit "$s""#
        return shell == "bash" ? waitForStart + #""$@"; "# + record : waitForStart + "( " + command + "\n); " + record
    }

    /// Creates the action.
    public init() {}

    /// The catalog's `shell` spec.
    public var spec: ActionSpec { .builtin("shell") }

    /// Runs `command`; outputs `exit_code`, `stdout`, `stderr` and whatever the command wrote to `$RUNBOOK_OUTPUT`.
    /// - Throws: `ActionFailure` when the command exits with a non-zero status (with the outputs), cannot start, or
    ///   the task is cancelled (`cancelled`).
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let launch = try launch(context)
        launch.start()
        return try await launch.finish()
    }

    /// Starts the shell, waiting before the command (see ``waitForStart``), so that loading and starting `sh`
    /// overlaps the commit of the step's start.
    public func prepare(_ context: ActionContext) throws(ActionFailure) -> (any PreparedAttempt)? {
        try launch(context)
    }

    /// Checks the parameters, creates the output file and starts the shell, waiting at its gate. Every attempt
    /// starts this way (a retry is let go at once), so each one runs the same arguments.
    private func launch(_ context: ActionContext) throws(ActionFailure) -> Launch {
        let command = try context.requiredString("command", action: "shell")
        let shell = context.string("shell") ?? "sh"
        var tail: [String] = []
        switch shell {
        case "sh":
            break
        case "bash":
            guard let bash = Self.lookUp("bash") else {
                throw ActionFailure("shell: bash is not installed (no executable 'bash' in $PATH); install it or use "
                    + "'shell: sh'")
            }
            tail = ["sh", bash, "-c", command]
        default: throw ActionFailure("shell: 'shell' must be 'sh' or 'bash', not '\(shell)'")
        }
        let directory = try Self.workingDirectory(context)
        let extraEnvironment = try context.stringMap("env", action: "shell")
        guard !Task.isCancelled else { throw ActionFailure.cancelled() }

        let outputFile = try RunbookOutputFile.create()
        let statusFile = outputFile.path + ".status"
        let arguments = ["-c", Self.script(shell: shell, command: command, statusFile: statusFile)] + tail
        do {
            var environment = ChildEnvironment()
            for layer in [context.environment, extraEnvironment, ["RUNBOOK_OUTPUT": outputFile.path]] {
                try environment.overlay(layer)
            }
            let process = try ShellProcess.start(
                "/bin/sh", arguments, environment: environment, directory: directory)
            return Launch(
                shell: process, outputFile: outputFile, statusFile: statusFile, emit: context.emit,
                identity: StepProcess.of(pid: process.group.id, statusFile: statusFile, outputFile: outputFile.path))
        } catch {
            outputFile.remove()
            throw error
        }
    }

    /// A started shell and its output file, until the command has ended.
    private struct Launch: PreparedAttempt {
        let shell: ShellProcess
        let outputFile: RunbookOutputFile
        let statusFile: String
        let emit: @Sendable (OutputLine) -> Void
        /// Who the shell is, read while it waits at its gate.
        let identity: StepProcess?

        var process: StepProcess? { identity }

        func start() {
            shell.openGate(go: true)
        }

        func abandon() async {
            shell.openGate(go: false)
            _ = await shell.wait(outputLimit: 0, grace: ShellAction.terminationGrace, emit: { _ in })
            removeFiles()
        }

        private func removeFiles() {
            outputFile.remove()
            unlink(statusFile)
        }

        /// Waits for the command and reads its outputs.
        func finish() async throws(ActionFailure) -> [String: Value] {
            defer { removeFiles() }
            let run = await shell.wait(outputLimit: ShellAction.outputLimit, grace: ShellAction.terminationGrace,
                                         emit: emit)
            var outputs: [String: Value] = [:]
            for (key, value) in outputFile.read() { outputs[key] = .string(value) }
            outputs["stdout"] = .string(run.stdout.text)
            outputs["stderr"] = .string(run.stderr.text)

            if Task.isCancelled {
                // The group has been signalled and the shell reaped; this catches what outlived the shell, such as a
                // background job that ignores SIGTERM.
                await run.group.terminate(grace: ShellAction.terminationGrace)
                throw ActionFailure.cancelled(outputs: outputs)
            }
            switch run.termination {
            case .exited(let code):
                outputs["exit_code"] = .number(Double(code))
                guard code == 0 else { throw ActionFailure("command exited with status \(code)", outputs: outputs) }
            case .signaled(let signal):
                outputs["exit_code"] = .number(Double(128 + signal))
                throw ActionFailure("command was killed by signal \(signal)", outputs: outputs)
            }
            return outputs
        }
    }

    /// `with.cwd` resolved against the context's folder, or that folder; it must exist.
    private static func workingDirectory(_ context: ActionContext) throws(ActionFailure) -> String {
        var path = context.workingDirectory
        if let cwd = context.string("cwd"), !cwd.isEmpty {
            path = cwd.hasPrefix("/") ? cwd : (path.hasSuffix("/") ? path + cwd : path + "/" + cwd)
        }
        guard FilePaths.isDirectory(path) else {
            throw ActionFailure("shell: the working directory '\(path)' does not exist")
        }
        return path
    }

    /// The first executable `name` on `$PATH`, or `/bin/name` when that is one, or nil.
    private static func lookUp(_ name: String) -> String? {
        let path = EnvironmentVariables.process["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return access("/bin/\(name)", X_OK) == 0 ? "/bin/\(name)" : nil
    }
}
