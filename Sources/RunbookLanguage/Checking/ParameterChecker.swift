/// Checks a step's parameters against its action's spec: unknown, missing, conflicting and mistyped ones.
struct ParameterChecker {
    let spec: ActionSpec

    /// Step keys that people put under `with:` by mistake.
    private static let stepKeys: Set<String> = Set(StepReader.keys)

    func check(_ step: Step) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let given = Set(step.parameters.map(\.name))
        let names = spec.parameters.map(\.name)
        for parameter in step.parameters {
            guard let parameterSpec = spec.parameter(parameter.name) else {
                if Self.stepKeys.contains(parameter.name) {
                    diagnostics.append(Diagnostic(
                        parameter.location, "'\(parameter.name)' is a step key, not a parameter of '\(spec.name)'",
                        hint: "move '\(parameter.name)' out of 'with:' to the step itself"))
                } else {
                    diagnostics.append(Diagnostic(
                        parameter.location, "unknown parameter '\(parameter.name)' for action '\(spec.name)'"
                            + NearestName.didYouMean(parameter.name, among: names),
                        hint: names.isEmpty ? "'\(spec.name)' takes no parameters"
                            : "the parameters of '\(spec.name)' are " + names.joined(separator: ", ")))
                }
                continue
            }
            if let value = parameter.value.literalValue, !value.holdsUnparsedExpression,
               let problem = parameterSpec.type.problem(with: value) {
                diagnostics.append(Diagnostic(
                    parameter.value.location, "parameter '\(parameter.name)' of '\(spec.name)' \(problem)"))
            }
        }
        let anchor = step.keyLocations["with"] ?? step.keyLocations["action"] ?? step.location
        for parameter in spec.parameters where parameter.required && !given.contains(parameter.name) {
            diagnostics.append(Diagnostic(
                anchor, "action '\(spec.name)' needs parameter '\(parameter.name)' (\(parameter.summary))",
                hint: "add '\(parameter.name):' under 'with:'"))
        }
        for group in spec.exactlyOneOf {
            let present = group.filter(given.contains)
            let listed = group.map { "'\($0)'" }.joined(separator: " or ")
            if present.isEmpty {
                diagnostics.append(Diagnostic(anchor, "action '\(spec.name)' needs \(listed)"))
            } else if present.count > 1, let second = step.parameter(present[1]) {
                diagnostics.append(Diagnostic(
                    second.location, "action '\(spec.name)' takes \(listed), not both",
                    hint: "keep one of " + present.joined(separator: ", ")))
            }
        }
        return diagnostics
    }
}

extension Value {
    /// A string that still holds `${{`: a template that failed to parse, already reported by the loader.
    fileprivate var holdsUnparsedExpression: Bool {
        if case .string(let text) = self { return text.contains("${{") }
        return false
    }
}
