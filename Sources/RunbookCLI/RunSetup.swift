import Foundation
import RunbookActions
import RunbookEngine
import RunbookLanguage

/// The pieces of a run's options that `exec` and `resume` build the same way.
enum RunSetup {
    /// The environment called `name` from the configuration, with its notification channels; none when nil. A channel
    /// that cannot be used (a variable of its URL is not set) is warned of when it is among `used` (every channel when
    /// nil): a runbook that never notifies it is not held up by a warning about it.
    static func environment(
        named name: String?, config: RunbookConfig, console: Console, using used: Set<String>? = nil
    ) throws -> RunEnvironment {
        for channel in config.channels.values.sorted(by: { $0.name < $1.name })
        where !channel.missingVariables.isEmpty && used?.contains(channel.name) ?? true {
            console.warning("notify channel '\(channel.name)' cannot be used: "
                          + channel.missingVariables.map { "$\($0)" }.joined(separator: ", ") + " is not set",
                          hint: "export it before running, or steps that notify '\(channel.name)' will fail")
        }
        let channels = Dictionary(uniqueKeysWithValues: config.channels.values.compactMap { channel -> (String, NotifyChannel)? in
            guard channel.missingVariables.isEmpty else { return nil }
            return (channel.name, NotifyChannel(name: channel.name, kind: channel.kind == "slack" ? .slack : .webhook,
                                                url: channel.url))
        })
        guard let name else { return RunEnvironment(channels: channels) }
        guard let environment = config.environments[name] else {
            let names = config.environments.keys.sorted()
            throw CommandFailure(
                "no environment '\(name)' in \(config.file ?? "the configuration (there is no runbook.config.yaml)")"
                    + NearestName.didYouMean(name, among: names),
                hint: names.isEmpty ? "define it under 'environments:' in runbook.config.yaml"
                    : "the environments are " + names.joined(separator: ", "),
                status: .invalid)
        }
        return RunEnvironment(
            name: name, variables: environment.variables, requiresConfirmation: environment.requireConfirmation,
            channels: channels,
            target: ActionTarget(environmentName: name, postgres: environment.postgres, aws: environment.aws,
                                 kubernetes: environment.kubernetes))
    }

    /// The channels a run of `runbook` at `severity` may post to: its severity's and audit's, and those its `notify`
    /// steps name; nil (any) when a step names its channel with an expression.
    static func channels(usedBy runbook: Runbook, severity: Severity, config: RunbookConfig) -> Set<String>? {
        var used = Set(config.policy(for: severity).channels + config.audit.notify)
        for step in runbook.steps where step.action == "notify" {
            switch step.parameters.first(where: { $0.name == "channel" })?.value {
            case .literal(.string(let channel), _): used.insert(channel)
            case nil: continue
            default: return nil
            }
        }
        return used
    }

    /// `--since`: an RFC 3339 time, or a duration before `now` (`10m`), as RFC 3339 UTC.
    static func parseSince(_ text: String, now: Date) throws -> String {
        let date: Date
        if case .success(let ago) = DurationSyntax.parse(text) {
            date = now.addingTimeInterval(-Double(ago.components.seconds))
        } else if let parsed = Timestamp.parse(text) {
            date = parsed
        } else {
            throw CommandFailure("--since '\(text)' is neither a time nor a duration",
                                 hint: "write an RFC 3339 time such as 2026-11-22T10:04:00Z, or a duration ago such as 10m",
                                 status: .invalid)
        }
        return Timestamp.format(date)
    }
}
