/// The checks that need the whole runbook: the step graph, expressions' references and actions' parameters.
struct RunbookChecker {
    let catalog: ActionCatalog

    /// Every problem in `runbook` that loading alone could not see.
    func check(_ runbook: Runbook) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let ids = Set(runbook.steps.map(\.id))
        for step in runbook.steps {
            for (index, need) in step.needs.enumerated() where !ids.contains(need) {
                let location = index < step.needLocations.count ? step.needLocations[index] : step.location
                diagnostics.append(Diagnostic(
                    location, "step '\(step.id)' needs unknown step '\(need)'"
                        + NearestName.didYouMean(need, among: ids.subtracting([step.id])),
                    hint: "'needs' names the ids of steps in this runbook"))
            }
            if step.needs.contains(step.id) {
                diagnostics.append(Diagnostic(
                    step.keyLocations["needs"] ?? step.location, "step '\(step.id)' needs itself"))
            }
        }
        let graph = StepGraph(steps: runbook.steps)
        if let cycle = graph.cycle, cycle.count > 2, let first = runbook.step(cycle[0]) {
            diagnostics.append(Diagnostic(
                first.keyLocations["needs"] ?? first.location,
                "the steps' needs form a cycle: " + cycle.joined(separator: " -> "),
                hint: "each step in the cycle waits for the next; remove one of these needs"))
        }
        let references = ReferenceChecker(runbook: runbook, graph: graph, catalog: catalog)
        for step in runbook.steps {
            diagnostics += references.check(step)
            if let spec = catalog[step.action] {
                diagnostics += ParameterChecker(spec: spec).check(step)
            }
            if !step.environment.isEmpty, step.action != "shell", let location = step.keyLocations["env"] {
                diagnostics.append(Diagnostic(
                    location, "'env' only applies to shell steps, and step '\(step.id)' runs '\(step.action)'"))
            }
        }
        for (index, trigger) in runbook.triggers.enumerated() {
            diagnostics += references.check(trigger, number: index + 1)
        }
        return diagnostics + unconstrainedAlertInputs(runbook)
    }

    /// Warnings for string inputs that triggers set from alerts with no `pattern:` or `enum:` to hold them to:
    /// whoever can fire an alert chooses their values.
    private func unconstrainedAlertInputs(_ runbook: Runbook) -> [Diagnostic] {
        var triggers: [String: [Int]] = [:]
        for (index, trigger) in runbook.triggers.enumerated() {
            for name in trigger.inputs.keys { triggers[name, default: []].append(index + 1) }
        }
        return runbook.inputs.compactMap { input in
            guard let numbers = triggers[input.name], input.type == .string, input.pattern == nil,
                  input.allowedValues == nil else { return nil }
            let which = numbers.count == 1
                ? "trigger \(numbers[0])" : "triggers " + numbers.map(String.init).joined(separator: ", ")
            return Diagnostic(
                input.location, "input '\(input.name)' is set from alerts by \(which) but has no 'pattern:' or "
                    + "'enum:', so whoever can fire an alert chooses its value",
                hint: "add a pattern that only valid values match, for example pattern: '^[a-z0-9][a-z0-9.-]*$'",
                kind: .warning)
        }
    }
}
