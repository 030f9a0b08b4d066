import RunbookLanguage

/// A runbook's plan as `runbook show --output json` prints it: the same facts as ``PlanRenderer``'s text, with
/// expressions as written (unevaluated) and secret inputs' defaults as `***`.
struct PlanDocument {
    let catalog: ActionCatalog

    /// The plan of `runbook`, its steps in execution order.
    func value(_ runbook: Runbook) -> Value {
        let stepsByID = Dictionary(runbook.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = StepGraph(steps: runbook.steps).order.compactMap { stepsByID[$0] }
        return [
            "name": .string(runbook.name), "title": Self.text(runbook.title),
            "description": Self.text(runbook.description), "owner": Self.text(runbook.owner),
            "severity": .string(runbook.severity.description),
            "rto": runbook.rto.map { .string(DurationSyntax.format($0)) } ?? .null,
            "tags": .array(runbook.tags.map(Value.string)), "file": .string(runbook.file),
            "inputs": .array(runbook.inputs.map(Self.input)), "triggers": .array(runbook.triggers.map(Self.trigger)),
            "steps": .array(ordered.map(step)),
        ]
    }

    private func step(_ step: Step) -> Value {
        let spec = catalog[step.action]
        let gated = step.isGated(actionMutating: spec?.mutating ?? true)
        let timeout = step.timeout ?? spec?.defaultTimeout
        return [
            "id": .string(step.id), "name": Self.text(step.name), "action": .string(step.action),
            "mutating": .bool(step.isMutating(actionMutating: spec?.mutating ?? true)), "gated": .bool(gated),
            "timeout": timeout.map { .string(DurationSyntax.format($0)) } ?? .null,
            "continue_on_error": .bool(step.continueOnError), "recovery": .bool(step.recovery),
            "needs": .array(step.needs.map(Value.string)),
            "with": Self.written(step.parameters), "env": Self.written(step.environment),
            "if": Self.text(step.condition?.site.content), "lock": Self.text(step.lock),
            "retry": step.retry.map { retry in
                [
                    "attempts": .number(Double(retry.attempts)), "delay": .string(DurationSyntax.format(retry.delay)),
                    "backoff": .string(retry.backoff.rawValue), "until": Self.text(retry.until?.site.content),
                ]
            } ?? .null,
            "gate": gated ? Self.gate(step.confirmation) : .null,
        ]
    }

    /// A gate's terms; a gate the step's kind implies (no `confirm:`) has the defaults.
    private static func gate(_ confirmation: Confirmation?) -> Value {
        [
            "message": text(confirmation?.message?.site.content),
            "timeout": confirmation?.timeout.map { .string(DurationSyntax.format($0)) } ?? .null,
            "default": .string((confirmation?.defaultDecision ?? .deny).rawValue),
            "approvers": .array((confirmation?.approvers ?? []).map(Value.string)),
            "min_approvals": .number(Double(confirmation?.minApprovals ?? 1)),
        ]
    }

    private static func input(_ input: InputSpec) -> Value {
        [
            "name": .string(input.name), "type": .string(input.type.rawValue), "required": .bool(input.required),
            "default": input.defaultValue.map { input.secret ? .string("***") : $0 } ?? .null,
            "enum": input.allowedValues.map(Value.array) ?? .null, "pattern": text(input.pattern),
            "secret": .bool(input.secret), "description": text(input.description),
        ]
    }

    private static func trigger(_ trigger: Trigger) -> Value {
        [
            "source": .string(trigger.source.rawValue), "match": .object(trigger.match.mapValues(Value.string)),
            "match_regex": .object(trigger.matchRegex.mapValues(Value.string)),
            "inputs": .object(trigger.inputs.mapValues { .string($0.site.content) }),
            "severity": text(trigger.severity?.site.content),
        ]
    }

    /// Parameters by name, each as written: literals as their values, expressions as their text.
    private static func written(_ parameters: [Parameter]) -> Value {
        .object(Dictionary(parameters.map { ($0.name, written($0.value)) }, uniquingKeysWith: { first, _ in first }))
    }

    private static func written(_ value: ParameterValue) -> Value {
        switch value {
        case .literal(let literal, _): literal
        case .template(let template): .string(template.site.content)
        case .list(let items, _): .array(items.map(written))
        case .map(let entries, _): .object(entries.mapValues(written))
        }
    }

    private static func text(_ text: String?) -> Value { text.map(Value.string) ?? .null }
}
