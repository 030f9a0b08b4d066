import Foundation
import RunbookLanguage

/// The process environment the AWS actions read their credentials, region, profile and endpoint from.
///
/// The actions read the real process environment; tests give each action an environment of its own, so suites that
/// use different credentials run in parallel.
public struct AWSEnvironment: Sendable, Hashable {
    /// The variables (`AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, `HOME`, …).
    public var variables: EnvironmentVariables

    /// An environment with these variables and no others.
    public init(variables: [String: String]) {
        self.variables = EnvironmentVariables(variables)
    }

    private init(reading variables: EnvironmentVariables) {
        self.variables = variables
    }

    /// The environment of this process, read when an action runs.
    public static let process = AWSEnvironment(reading: .process)

    /// The variable `name`, or nil when it is unset or empty (the AWS CLI treats both alike).
    subscript(name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// The user's home folder: `$HOME`, else the account's.
    var home: String { variables.home }
}
