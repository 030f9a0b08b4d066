import RunbookLanguage

/// The `env.NAME`s a runbook reads, checked against the configuration's environments (`validate --env`): a name no
/// environment defines becomes empty text at run time, which a typo (`env.api_ulr`) should not.
struct EnvironmentVariablesCheck {
    /// The environments checked, by name, with their variables' names.
    private let environments: [(name: String, variables: Set<String>)]
    /// Whether one environment was named: a name it lacks is an error; else a warning naming those that lack it.
    private let strict: Bool

    /// The check of `environment` (every environment of the configuration when nil), read from the configuration
    /// `context` finds.
    /// - Throws: `CommandFailure` (exit 2) for an environment the configuration does not define, or an invalid one.
    init(named environment: String?, context: CommandContext) throws {
        let configuration: RunbookConfig
        if environment == nil {
            // Without --env the check is a courtesy: a configuration that does not load is reported by the commands
            // that need it, not here.
            guard let found = try? Workspace(store: nil, config: nil, context: context,
                                             environment: context.environment.all).config else {
                self.init(environments: [], strict: false)
                return
            }
            configuration = found
        } else {
            do {
                configuration = try Workspace(store: nil, config: nil, context: context,
                                              environment: context.environment.all).config
            } catch let invalid as InvalidConfiguration {
                throw invalid.reported(to: context.console)
            }
        }
        let all = configuration.environments.map { (name: $0.key, variables: Set($0.value.variables.keys)) }
            .sorted { $0.name < $1.name }
        if let environment {
            guard let chosen = all.first(where: { $0.name == environment }) else {
                throw CommandFailure(
                    "no environment '\(environment)' in \(configuration.file ?? "the configuration")"
                        + NearestName.didYouMean(environment, among: all.map(\.name)),
                    hint: all.isEmpty ? "define it under 'environments:' in runbook.config.yaml"
                        : "the environments are " + all.map(\.name).joined(separator: ", "),
                    status: .invalid)
            }
            self.init(environments: [chosen], strict: true)
        } else {
            self.init(environments: all, strict: false)
        }
    }

    private init(environments: [(name: String, variables: Set<String>)], strict: Bool) {
        self.environments = environments
        self.strict = strict
    }

    /// A diagnostic for each `env.NAME` of `runbook` that an environment checked lacks.
    func diagnostics(for runbook: Runbook) -> [Diagnostic] {
        guard !environments.isEmpty else { return [] }
        return EnvironmentReference.all(in: runbook).compactMap { reference -> Diagnostic? in
            let lacking = environments.filter { !$0.variables.contains(reference.name) }
            guard !lacking.isEmpty else { return nil }
            let known = Set(environments.flatMap(\.variables))
            let names = lacking.map { "'\($0.name)'" }.joined(separator: ", ")
            return Diagnostic(
                reference.location,
                "env.\(reference.name) is not a variable of environment\(lacking.count == 1 ? "" : "s") \(names)"
                    + (known.contains(reference.name) ? "" : NearestName.didYouMean(reference.name, among: known)),
                hint: "define it under 'vars:' of the environment in runbook.config.yaml, or fix the name; "
                    + "an undefined variable reads as empty text",
                kind: strict ? .error : .warning)
        }
    }
}
