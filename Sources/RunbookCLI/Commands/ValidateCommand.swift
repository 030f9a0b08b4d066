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

    @Option(name: .long, help: "text, or json for every file's diagnostics as one object (nothing on stderr).")
    var output: OutputFormat = .text

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
        var checked: [Value] = []
        var invalid = 0
        for file in files {
            let diagnostics: [Diagnostic]
            let valid: Bool
            switch loader.load(path: file) {
            case .success(let runbook):
                diagnostics = runbook.warnings + variables.diagnostics(for: runbook)
                valid = !diagnostics.contains(where: { $0.kind == .error })
            case .failure(let failure):
                diagnostics = failure.diagnostics
                valid = false
            }
            if !valid { invalid += 1 }
            switch output {
            case .json:
                checked.append(["file": .string(file), "valid": .bool(valid),
                                "diagnostics": .array(diagnostics.map(Self.value))])
            case .text:
                console.report(diagnostics)
                if valid, !quiet { console.write("\(file): ok\n") }
            }
        }
        switch output {
        case .json:
            console.write(Value.object([
                "runbooks": .array(checked), "checked": .number(Double(files.count)),
                "invalid": .number(Double(invalid)),
            ]).jsonString(pretty: true) + "\n")
        case .text where !quiet || invalid > 0:
            let summary = "\(files.count) runbook\(files.count == 1 ? "" : "s") checked, \(invalid) invalid\n"
            if invalid > 0 { console.writeError(summary) } else { console.write(summary) }
        case .text:
            break
        }
        if invalid > 0 || files.isEmpty {
            if files.isEmpty { console.error("no runbook files (.yaml, .yml) found") }
            throw ExitCode(ExitStatus.invalid.rawValue)
        }
    }

    /// A diagnostic as `--output json` shows it.
    private static func value(_ diagnostic: Diagnostic) -> Value {
        [
            "file": .string(diagnostic.location.file), "line": .number(Double(diagnostic.location.line)),
            "column": .number(Double(diagnostic.location.column)), "kind": .string(diagnostic.kind.rawValue),
            "message": .string(diagnostic.message), "help": diagnostic.hint.map(Value.string) ?? .null,
        ]
    }
}
