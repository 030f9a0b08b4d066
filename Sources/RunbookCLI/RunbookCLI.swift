import ArgumentParser

/// The `runbook` program: parses a command line, runs the command, and says which documented exit code it ends with.
public enum RunbookCLI {
    /// Runs the command named by `arguments` (the command line after the program's name) in `context`. It never
    /// exits: the caller ends the process with the status (`main.swift`), or a test compares it.
    public static func run(arguments: [String], context: CommandContext) async -> ExitStatus {
        let console = context.console
        // Built only when needed: the usual `exec` never touches ArgumentParser's command tree.
        var root: any ParsableCommand.Type { RunbookCommand.root(for: arguments) }
        do {
            if let exec = ExecRequest(quickParsing: arguments) {
                try await exec.run(in: context)
                return .success
            }
            try RunbookCommand.checkCommandName(arguments)
            var command = try root.parseAsRoot(arguments)
            if let contextual = command as? any ContextualCommand {
                try await contextual.run(in: context)
            } else {
                // The root and the command groups (`runbook audit`): ArgumentParser's own `run()` asks for help.
                try command.run()
            }
            return .success
        } catch let failure as CommandFailure {
            console.error(failure.message, hint: failure.hint)
            return failure.status
        } catch let code as ExitCode {
            return ExitStatus(rawValue: code.rawValue) ?? .internalError
        } catch {
            let code = root.exitCode(for: error)
            let message = root.fullMessage(for: error)
            if code == .success {
                console.write(message + "\n")
                return .success
            }
            console.writeError(message + "\n")
            return code == .validationFailure ? .invalid : .internalError
        }
    }
}
