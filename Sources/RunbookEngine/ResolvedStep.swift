import RunbookLanguage

/// A step's parameters and environment with every expression evaluated, just before it runs.
struct ResolvedStep: Sendable {
    /// Parameters by name; for `shell`, `command` has each expression value inserted as one shell-quoted word, and
    /// for `notify`, `message` has each value inserted redacted and with ``VisibleText``'s escapes.
    var parameters: [String: Value]
    /// The step's `env`, as text.
    var environment: [String: String]
    /// The confirm message, resolved.
    var message: String?
    /// The action and its parameters on one line, secrets redacted: `ecs.scale cluster=prod desired_count=4`.
    var summary: String

    init(_ step: Step, context: EvaluationContext, redactor: Redactor) throws(ExpressionError) {
        var parameters: [String: Value] = [:]
        for parameter in step.parameters {
            if step.action == "shell", parameter.name == "command", case .template(let template) = parameter.value {
                parameters[parameter.name] = .string(
                    try template.template.render(in: context, quoting: ShellQuoting.quote))
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
        self.parameters = parameters
        self.environment = environment
        self.message = try step.confirmation?.message?.template.render(in: context).stringValue
        let words = step.parameters.compactMap { parameter -> String? in
            guard let value = parameters[parameter.name] else { return nil }
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

    /// Evaluates one parameter, naming it in the error.
    private static func resolve(_ parameter: Parameter, in context: EvaluationContext) throws(ExpressionError) -> Value {
        do {
            return try parameter.value.resolve(in: context)
        } catch {
            throw ExpressionError(offset: error.offset, message: "parameter '\(parameter.name)': \(error.message)")
        }
    }
}
