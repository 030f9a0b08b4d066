import RunbookLanguage

/// A configuration file that did not load, with its diagnostics, for the caller to report when its turn comes.
struct InvalidConfiguration: Error {
    /// The configuration file.
    let path: String
    /// What is wrong with it, by line and column.
    let failure: ValidationFailure

    /// Prints the diagnostics to `console` and returns the failure that ends the command (exit 2).
    func reported(to console: Console) -> CommandFailure {
        console.report(failure)
        return CommandFailure("the configuration \(path) is invalid", status: .invalid)
    }
}
