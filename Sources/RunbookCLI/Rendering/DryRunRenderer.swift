import RunbookEngine
import RunbookLanguage

/// `exec --dry-run`: the plan with every parameter resolved that can be before anything runs. Values that depend on
/// earlier steps' results stay as their expressions.
struct DryRunRenderer {
    let catalog: ActionCatalog

    func render(_ options: RunOptions) -> String {
        let runbook = options.runbook
        let context = EvaluationContext(contexts: [
            "inputs": .object(options.inputs),
            "incident": ["id": .string(options.incident), "severity": .string(options.severity.description),
                         "started_at": options.incidentStart.map(Value.string) ?? .null],
            "env": .object(options.environment.variables),
            "run": ["id": .string(options.runID), "actor": .string(options.starter)],
        ])
        var out = "dry run of \(runbook.name) (\(options.severity))"
        if let name = options.environment.name { out += " against \(name)" }
        out += ": nothing is executed or recorded\n"
        let stepsByID = Dictionary(runbook.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (number, id) in StepGraph(steps: runbook.steps).order.enumerated() {
            guard let step = stepsByID[id] else { continue }
            let actionMutating = catalog[step.action]?.mutating ?? true
            var marks: [String] = []
            if step.isGated(actionMutating: actionMutating,
                            environmentRequiresConfirmation: options.environment.requiresConfirmation) {
                marks.append("gated")
            }
            if step.isMutating(actionMutating: actionMutating) { marks.append("mutating") }
            out += "\n  \(number + 1). \(step.id)  \(step.action)" + (marks.isEmpty ? "" : "  [\(marks.joined(separator: ", "))]") + "\n"
            if !step.needs.isEmpty { out += "       needs  \(step.needs.joined(separator: ", "))\n" }
            if let condition = step.condition { out += "       if     \(condition.site.content)\n" }
            for parameter in step.parameters {
                let text = options.redactor.redact(
                    resolve(parameter, step: step, context: context, redactor: options.redactor))
                let indented = text.split(separator: "\n", omittingEmptySubsequences: false)
                    .joined(separator: "\n" + String(repeating: " ", count: 15))
                out += "       \(parameter.name.padding(toLength: 7)) \(indented)\n"
            }
        }
        return out
    }

    private func resolve(_ parameter: Parameter, step: Step, context: EvaluationContext, redactor: Redactor) -> String {
        let readsSteps = parameter.value.templates.contains { template in
            template.template.expressions.contains { $0.references.contains { $0.path.first == "steps" } }
        }
        if readsSteps { return parameter.value.writtenText }
        do {
            if step.action == "shell", parameter.name == "command", let script = step.shellScript {
                var values: [String] = []
                for expression in script.expressions {
                    values.append(redactor.redact(try expression.evaluate(in: context).stringValue))
                }
                return script.shown(values) { ShellQuoting.shown($0, in: $1) }
            }
            let value = try parameter.value.resolve(in: context)
            if case .string(let text) = value { return text }
            return value.jsonString(pretty: false)
        } catch {
            return parameter.value.writtenText + "  (cannot resolve yet: \(error.message))"
        }
    }
}
