import RunbookLanguage

/// A step's parameters and environment with every expression evaluated, just before it runs.
struct ResolvedStep: Sendable {
    /// Parameters by name, as the action gets them; for `shell`, `command` reads each expression's value from an
    /// environment variable (see ``ShellScript``) and holds no value itself; for `notify`, `message` has each value
    /// inserted redacted and with ``VisibleText``'s escapes.
    var parameters: [String: Value]
    /// The parameters as recorded and shown: for `shell`, `command` has the values written in, quoted for their
    /// places, secrets redacted. Never run.
    var shownParameters: [String: Value]
    /// The step's `env`, as text, and for `shell` the variables that carry its command's values.
    var environment: [String: String]
    /// The confirm message, resolved.
    var message: String?
    /// The action and its parameters on one line, secrets redacted: `ecs.scale cluster=prod desired_count=4`.
    var summary: String

    init(_ step: Step, context: EvaluationContext, redactor: Redactor) throws(ExpressionError) {
        var parameters: [String: Value] = [:]
        var binding: ShellCommandBinding?
        for parameter in step.parameters {
            if step.action == "shell", parameter.name == "command", case .template(let template) = parameter.value {
                let bound = try Self.bind(step, template, context: context, redactor: redactor)
                parameters[parameter.name] = .string(bound.command)
                binding = bound
            } else if step.action == "notify", parameter.name == "message",
                case .template(let template) = parameter.value
            {
                // The author's own line breaks stay; a value cannot add a line to the chat message. Redacted before
                // it is escaped, which would hide a secret holding a control character from the redactor.
                parameters[parameter.name] = .string(
                    try template.template.render(in: context, quoting: { VisibleText.escaped(redactor.redact($0)) }))
            } else {
                parameters[parameter.name] = try Self.resolve(parameter, in: context)
            }
        }
        var environment: [String: String] = [:]
        for variable in step.environment {
            environment[variable.name] = try Self.resolve(variable, in: context).stringValue
        }
        var shownParameters = parameters
        if let binding {
            var names = Array(environment.keys)
            if case .object(let extra)? = parameters["env"] { names += extra.keys }
            if let taken = names.sorted().first(where: { $0.hasPrefix(ShellScript.variablePrefix) }) {
                throw ExpressionError(
                    offset: 0, message: "the environment variable '\(taken)' starts with "
                        + "\(ShellScript.variablePrefix), which carries the values of the command's ${{ }}; rename it")
            }
            environment.merge(binding.variables) { _, value in value }
            shownParameters["command"] = .string(binding.shown)
        }
        self.parameters = parameters
        self.shownParameters = shownParameters
        self.environment = environment
        self.message = try step.confirmation?.message?.template.render(in: context).stringValue
        let words = step.parameters.compactMap { parameter -> String? in
            guard let value = shownParameters[parameter.name] else { return nil }
            if step.action == "shell", parameter.name == "command" { return value.stringValue }
            let text = value.stringValue
            return "\(parameter.name)=" + (text.contains(" ") || text.isEmpty ? "'\(text)'" : text)
        }
        self.summary = redactor.redact(([step.action] + words).joined(separator: " "))
    }

    /// The gate shown before the step runs.
    func gateRequest(_ step: Step, options: RunOptions, reason: String?) -> GateRequest {
        GateRequest(
            runID: options.runID, stepID: step.id, stepName: step.displayName,
            message: options.redactor.redact(message ?? "Run step '\(step.displayName)'?"),
            summary: summary, severity: options.severity.description, reason: reason, rtoRemaining: nil,
            approveCommand: "runbook approve \(options.runID) \(step.id)",
            denyCommand: "runbook deny \(options.runID) \(step.id)")
    }

    /// The shell command of `step` bound to its values: compiled when the runbook was loaded, or here for a step
    /// that was built some other way.
    private static func bind(
        _ step: Step, _ template: TemplateValue, context: EvaluationContext, redactor: Redactor
    ) throws(ExpressionError) -> ShellCommandBinding {
        let script: ShellScript
        if let compiled = step.shellScript {
            script = compiled
        } else {
            do {
                script = try ShellScript(compiling: template.template, text: template.site.content)
            } catch {
                let refusal = error.refusals.first
                let problem = refusal.map { $0.written(in: template.template) + " " + $0.problem }
                throw ExpressionError(
                    offset: refusal?.offset ?? 0, message: "parameter 'command': " + (problem ?? "it has no safe form"))
            }
        }
        do {
            return try ShellCommandBinding(script, context: context, redactor: redactor)
        } catch {
            throw ExpressionError(offset: error.offset, message: "parameter 'command': \(error.message)")
        }
    }

    /// Evaluates one parameter, naming it in the error.
    private static func resolve(_ parameter: Parameter, in context: EvaluationContext) throws(ExpressionError) -> Value {
        do {
            return try parameter.value.resolve(in: context)
        } catch {
            throw ExpressionError(offset: error.offset, message: "parameter '\(parameter.name)': \(error.message)")
        }
    }
}
