import ArgumentParser
import RunbookLanguage

/// The options every command that reads runbooks shares.
struct LibraryOptions: ParsableArguments {
    @Option(name: .long, help: "The runbooks folder (default: runbooks/ beside runbook.config.yaml, or $RUNBOOK_PATH).")
    var runbooks: String?

    /// The runbooks folder these options name, beside `config` when one was given with `--config`, as `environment`
    /// has `$RUNBOOK_PATH` and `$RUNBOOK_CONFIG`.
    func library(config: String? = nil, environment: [String: String]) -> RunbookLibrary {
        Self.library(runbooks: runbooks, config: config, environment: environment)
    }

    /// The runbooks folder `--runbooks` names (nil when not given), beside `config` when one was given.
    static func library(runbooks: String?, config: String?, environment: [String: String]) -> RunbookLibrary {
        RunbookLibrary.locate(
            explicit: runbooks, config: config, environment: environment, currentDirectory: FilePaths.currentDirectory)
    }

    /// Loads the runbook called `name`, or ends the command with its diagnostics on `context`'s console (exit 2).
    func load(_ name: String, context: CommandContext, config: String? = nil) throws -> Runbook {
        try Self.load(name, runbooks: runbooks, console: context.console, config: config,
                      environment: context.environment.all)
    }

    /// Loads the runbook called `name` from the folder `--runbooks` names (nil when not given), or ends the command
    /// with its diagnostics (exit 2).
    static func load(
        _ name: String, runbooks: String?, console: Console, config: String?, environment: [String: String]
    ) throws -> Runbook {
        let file: String
        do {
            file = try library(runbooks: runbooks, config: config, environment: environment).file(for: name)
        } catch {
            throw CommandFailure(error.message, hint: error.hint, status: .invalid)
        }
        switch RunbookLoader().load(path: file) {
        case .success(let runbook):
            return runbook
        case .failure(let failure):
            console.report(failure)
            throw ExitCode(ExitStatus.invalid.rawValue)
        }
    }

    /// Loads every runbook of the folder, in name order, or ends the command with all their diagnostics (exit 2).
    func loadAll(console: Console, config: String?, environment: [String: String]) throws -> [Runbook] {
        let files: [String]
        do {
            files = try library(config: config, environment: environment).files()
        } catch {
            throw CommandFailure(error.message, hint: error.hint, status: .invalid)
        }
        var runbooks: [Runbook] = []
        var invalid = false
        for file in files {
            switch RunbookLoader().load(path: file) {
            case .success(let runbook): runbooks.append(runbook)
            case .failure(let failure):
                console.report(failure)
                invalid = true
            }
        }
        if invalid { throw ExitCode(ExitStatus.invalid.rawValue) }
        return runbooks.sorted { $0.name < $1.name }
    }
}
