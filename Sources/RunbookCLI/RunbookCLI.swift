import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `runbook` program's entry point: parses the command line, runs the command, exits with the documented code.
public enum RunbookCLI {
    /// Runs the command named by the process's arguments and exits.
    public static func main() async -> Never {
        await main(arguments: Array(CommandLine.arguments.dropFirst()))
    }

    /// Runs the command named by `arguments` and exits.
    public static func main(arguments: [String]) async -> Never {
        let console = Console.standard
        // Built only when needed: the usual `exec` never touches ArgumentParser's command tree.
        var root: any ParsableCommand.Type { RunbookCommand.root(for: arguments) }
        do {
            if let exec = ExecRequest(quickParsing: arguments) {
                try await exec.run()
                exit(ExitStatus.success.rawValue)
            }
            var command = try root.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(ExitStatus.success.rawValue)
        } catch let failure as CommandFailure {
            console.error(failure.message, hint: failure.hint)
            exit(failure.status.rawValue)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = root.exitCode(for: error)
            let message = root.fullMessage(for: error)
            if code == .success {
                console.write(message + "\n")
                exit(ExitStatus.success.rawValue)
            }
            console.writeError(message + "\n")
            exit(code == .validationFailure ? ExitStatus.invalid.rawValue : ExitStatus.internalError.rawValue)
        }
    }
}
