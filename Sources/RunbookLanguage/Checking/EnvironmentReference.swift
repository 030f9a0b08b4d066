/// One `env.NAME` that a runbook's expressions read, and where: what `runbook validate --env` checks against the
/// environment's `vars`, since a name no environment defines reads as empty text at run time.
public struct EnvironmentReference: Sendable, Hashable {
    /// The variable's name.
    public let name: String
    /// Where it is read.
    public let location: SourceLocation
    /// The step that reads it.
    public let step: String

    /// Every `env.NAME` that `runbook`'s steps read — in parameters, `env:`, `confirm.message`, `if:` and
    /// `retry.until` — in file order; a bare `env` or `env[expression]` names no variable and is left out.
    public static func all(in runbook: Runbook) -> [EnvironmentReference] {
        var found: [EnvironmentReference] = []
        for step in runbook.steps {
            var sites: [(Expression, ScalarSite)] = []
            for parameter in step.parameters + step.environment {
                for template in parameter.value.templates {
                    sites += template.template.expressions.map { ($0, template.site) }
                }
            }
            if let message = step.confirmation?.message {
                sites += message.template.expressions.map { ($0, message.site) }
            }
            if let condition = step.condition { sites.append((condition.expression, condition.site)) }
            if let until = step.retry?.until { sites.append((until.expression, until.site)) }
            for (expression, site) in sites {
                for reference in expression.references where reference.path.first == "env" && reference.path.count > 1 {
                    found.append(EnvironmentReference(
                        name: reference.path[1], location: runbook.source.location(ofOffset: reference.offset, in: site),
                        step: step.id))
                }
            }
        }
        return found
    }
}
