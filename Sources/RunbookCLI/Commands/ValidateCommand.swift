import ArgumentParser
import Foundation
import RunbookLanguage

/// `runbook validate [PATH...]`: checks runbook files and folders, reporting every problem.
struct ValidateCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check runbooks and report every problem as path:line:col (exit 2 when any is invalid).")

    @OptionGroup var options: LibraryOptions

    @Argument(help: "Runbook files or folders (default: the runbooks folder).")
    var paths: [String] = []

    @Flag(name: .shortAndLong, help: "Print nothing for valid files but their warnings.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp(
        "Check every env.NAME the runbooks read against this environment's vars (an error when it lacks one).",
        discussion: "Without --env, each name is checked against every environment of the configuration (a warning "
            + "names those that lack it)."))
    var env: String?

    func run(in context: CommandContext) throws {
        let console = context.console
        var files: [String] = []
        if paths.isEmpty {
            do {
                files = try options.library(environment: context.environment.all).files()
            } catch {
                throw CommandFailure(error.message, hint: error.hint, status: .invalid)
            }
        }
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                do {
                    files += try RunbookLibrary.runbookFiles(in: path)
                } catch {
                    throw CommandFailure(error.message, hint: error.hint, status: .invalid)
                }
            } else {
                files.append(path)
            }
        }
        let variables = try EnvironmentVariablesCheck(named: env, context: context)
        let loader = RunbookLoader()
        var invalid = 0
        for file in files {
            switch loader.load(path: file) {
            case .success(let runbook):
                let unknown = variables.diagnostics(for: runbook)
                console.report(runbook.warnings + unknown)
                if unknown.contains(where: { $0.kind == .error }) {
                    invalid += 1
                    continue
                }
                if !quiet { console.write("\(file): ok\n") }
            case .failure(let failure):
                invalid += 1
                console.report(failure)
            }
        }
        if !quiet || invalid > 0 {
            let summary = "\(files.count) runbook\(files.count == 1 ? "" : "s") checked, \(invalid) invalid\n"
            if invalid > 0 { console.writeError(summary) } else { console.write(summary) }
        }
        if invalid > 0 || files.isEmpty {
            if files.isEmpty { console.error("no runbook files (.yaml, .yml) found") }
            throw ExitCode(ExitStatus.invalid.rawValue)
        }
    }
}
