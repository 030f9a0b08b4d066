import RunbookLanguage

/// Renders a runbook as the plan `runbook show` prints: what runs, in which order, under which conditions and gates.
struct PlanRenderer {
    let catalog: ActionCatalog
    let colors: Bool
    let paint: (String, Console.Style, Bool) -> String

    func render(_ runbook: Runbook) -> String {
        var out = paint(runbook.name, .bold, colors) + (runbook.title.map { " — \($0)" } ?? "") + "\n"
        if let description = runbook.description {
            for line in description.split(separator: "\n", omittingEmptySubsequences: false) { out += "  \(line)\n" }
        }
        out += "\n"
        var facts: [(String, String)] = [("file", runbook.file)]
        if let owner = runbook.owner { facts.append(("owner", owner)) }
        facts.append(("severity", runbook.severity.description))
        facts.append(("rto", runbook.rto.map(DurationSyntax.format) ?? "none"))
        if !runbook.tags.isEmpty { facts.append(("tags", runbook.tags.joined(separator: ", "))) }
        for (key, value) in facts { out += "  \(key.padding(toLength: 9)) \(value)\n" }
        if !runbook.inputs.isEmpty {
            out += "\n" + paint("inputs", .bold, colors) + "\n"
            let rows = runbook.inputs.map { input in ["  " + input.name, input.type.rawValue, describe(input)] }
            out += TextTable(header: ["", "", ""], rows: rows).rendered.split(separator: "\n").dropFirst()
                .joined(separator: "\n") + "\n"
        }
        if !runbook.triggers.isEmpty {
            out += "\n" + paint("triggers", .bold, colors) + "\n"
            for trigger in runbook.triggers { out += "  " + describe(trigger) + "\n" }
        }
        out += "\n" + paint("plan", .bold, colors) + " (execution order)\n"
        let graph = StepGraph(steps: runbook.steps)
        let stepsByID = Dictionary(runbook.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (number, id) in graph.order.enumerated() {
            guard let step = stepsByID[id] else { continue }
            out += renderStep(step, number: number + 1)
        }
        return out
    }

    private func renderStep(_ step: Step, number: Int) -> String {
        let spec = catalog[step.action]
        let mutating = step.isMutating(actionMutating: spec?.mutating ?? true)
        let gated = step.isGated(actionMutating: spec?.mutating ?? true)
        var marks = [mutating ? paint("mutating", .yellow, colors) : "diagnostic"]
        if gated { marks.append(paint("gated", .red, colors)) }
        if let timeout = step.timeout ?? spec?.defaultTimeout { marks.append("timeout \(DurationSyntax.format(timeout))") }
        if step.continueOnError { marks.append("continue on error") }
        if step.recovery { marks.append(paint("recovery", .green, colors)) }
        var out = "\n  \(number). " + paint(step.id, .bold, colors) + "  \(step.action)  [" + marks.joined(separator: ", ")
            + "]\n"
        var lines: [(String, String)] = []
        if let name = step.name { lines.append(("name", name)) }
        lines.append(("needs", step.needs.isEmpty ? "nothing (starts at once)" : step.needs.joined(separator: ", ")))
        if !step.parameters.isEmpty {
            lines.append(("with", step.parameters.map { "\($0.name)=\($0.value.writtenText)" }.joined(separator: " ")))
        }
        if !step.environment.isEmpty {
            lines.append(("env", step.environment.map { "\($0.name)=\($0.value.writtenText)" }.joined(separator: " ")))
        }
        if let condition = step.condition { lines.append(("if", condition.site.content)) }
        if let retry = step.retry {
            var text = "\(retry.attempts) attempts, \(DurationSyntax.format(retry.delay)) \(retry.backoff.rawValue) delay"
            if let until = retry.until { text += ", until \(until.site.content)" }
            lines.append(("retry", text))
        }
        if gated { lines.append(("gate", describeGate(step.confirmation))) }
        for (key, value) in lines {
            let indented = value.split(separator: "\n", omittingEmptySubsequences: false)
                .joined(separator: "\n" + String(repeating: " ", count: 13))
            out += "       \(key.padding(toLength: 6)) \(indented)\n"
        }
        return out
    }

    private func describeGate(_ confirmation: Confirmation?) -> String {
        guard let confirmation else { return "confirm before running (default deny)" }
        var details: [String] = []
        if let timeout = confirmation.timeout { details.append("timeout \(DurationSyntax.format(timeout))") }
        details.append("default \(confirmation.defaultDecision.rawValue)")
        if confirmation.minApprovals > 1 { details.append("\(confirmation.minApprovals) approvals") }
        if !confirmation.approvers.isEmpty { details.append("approvers " + confirmation.approvers.joined(separator: ", ")) }
        let message = confirmation.message.map { "\"\($0.site.content)\" " } ?? ""
        return message + "(" + details.joined(separator: ", ") + ")"
    }

    private func describe(_ input: InputSpec) -> String {
        var parts: [String] = []
        if input.required { parts.append("required") }
        if let value = input.defaultValue { parts.append("default " + (input.secret ? "***" : value.jsonString(pretty: false))) }
        if let allowed = input.allowedValues { parts.append("one of " + allowed.map(\.stringValue).joined(separator: "|")) }
        if let pattern = input.pattern { parts.append("pattern \(pattern)") }
        if input.secret { parts.append("secret") }
        if let description = input.description { parts.append("— \(description)") }
        return parts.joined(separator: "  ")
    }

    private func describe(_ trigger: Trigger) -> String {
        var parts = [trigger.source.rawValue]
        parts += trigger.match.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        parts += trigger.matchRegex.sorted { $0.key < $1.key }.map { "\($0.key)=~\($0.value)" }
        let inputs = trigger.inputs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.site.content)" }
        if !inputs.isEmpty { parts.append("-> " + inputs.joined(separator: " ")) }
        if let severity = trigger.severity { parts.append("severity \(severity.site.content)") }
        return parts.joined(separator: "  ")
    }
}
