import Foundation

/// Environment variables read one at a time: a fixed set, or this process's own, looked up with `getenv` when asked.
///
/// Building `ProcessInfo.environment`'s dictionary to read one variable costs more than the rest of the answer, and
/// the actions are built once, when the registry is first used: a copy taken then would cost every command a
/// dictionary per action, and would keep variables that `runbook serve` takes out of the environment after start-up.
public struct EnvironmentVariables: Sendable, Hashable {
    /// The variables given at creation; nil for the process's own.
    private let fixed: [String: String]?

    /// This process's variables, read with `getenv` at each lookup.
    public static let process = EnvironmentVariables(fixed: nil)

    /// These variables and no others (tests give each action its own, so suites run in parallel).
    public init(_ variables: [String: String]) {
        fixed = variables
    }

    private init(fixed: [String: String]?) {
        self.fixed = fixed
    }

    /// The variable `name`, or nil when it is unset.
    public subscript(name: String) -> String? {
        guard let fixed else { return getenv(name).map { String(cString: $0) } }
        return fixed[name]
    }

    /// Every variable, as a dictionary: for the process's own, built at each call (what the configuration and the
    /// runbooks folder are found with, read once by a command that needs them).
    public var all: [String: String] { fixed ?? ProcessInfo.processInfo.environment }

    /// The user's home folder: `$HOME` when set and not empty, else the account's.
    public var home: String {
        guard let home = self["HOME"], !home.isEmpty else { return NSHomeDirectory() }
        return home
    }
}
