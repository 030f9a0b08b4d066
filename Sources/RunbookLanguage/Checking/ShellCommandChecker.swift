/// Compiles a `shell` step's command (see ``ShellScript``), reporting each `${{ }}` that stands where no reference to
/// a variable is safe, and environment variables of the step that take the names its values travel in.
struct ShellCommandChecker {
    let source: SourceText

    /// The step's compiled command, or nil (with diagnostics when it is refused) when it has none to compile.
    func compile(_ step: Step, into diagnostics: inout [Diagnostic]) -> ShellScript? {
        guard step.action == "shell" else { return nil }
        checkEnvironment(step, into: &diagnostics)
        guard let command = step.parameter("command"), case .template(let template) = command.value else { return nil }
        do {
            return try ShellScript(compiling: template.template, text: template.site.content)
        } catch {
            let expressions = template.template.expressions
            for refusal in error.refusals {
                let written = refusal.written(in: template.template)
                let name = expressions.indices.contains(refusal.index)
                    ? Self.suggestedName(for: expressions[refusal.index]) : "VALUE"
                diagnostics.append(Diagnostic(
                    source.location(ofOffset: refusal.offset, in: template.site),
                    "in the command of step '\(step.id)', \(written) \(refusal.problem)",
                    hint: refusal.help(value: written, name: name)))
            }
            return nil
        }
    }

    /// `env:` names (the step's and `with.env`'s) may not start with the values' prefix.
    private func checkEnvironment(_ step: Step, into diagnostics: inout [Diagnostic]) {
        var names = step.environment.map { ($0.name, $0.location) }
        if let env = step.parameter("env"), case .map(let entries, let location) = env.value {
            names += entries.keys.sorted().map { ($0, location) }
        }
        for (name, location) in names where name.hasPrefix(ShellScript.variablePrefix) {
            diagnostics.append(Diagnostic(
                location, "step '\(step.id)' sets the environment variable '\(name)', but names starting with "
                    + "\(ShellScript.variablePrefix) carry the values of the command's ${{ }}",
                hint: "rename the variable"))
        }
    }

    /// An environment variable's name for the value of `expression`: `SVC` for `${{ inputs.svc }}`.
    static func suggestedName(for expression: Expression) -> String {
        let last = expression.references.first?.path.last ?? "value"
        var name = String(last.uppercased().unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? Character(scalar) : "_"
        })
        if name.first?.isNumber != false { name = "VALUE_" + name }
        return name.hasPrefix(ShellScript.variablePrefix) ? "STEP_" + name : name
    }
}
