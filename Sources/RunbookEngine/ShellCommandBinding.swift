import RunbookLanguage

/// A shell step's command with its values bound: what `sh -c` runs (references to variables, never values), the
/// environment variables that carry the values, and the command as people see it.
struct ShellCommandBinding: Sendable {
    /// The command the shell runs.
    var command: String
    /// `RUNBOOK_VALUE_n` and the value of the command's `n`-th expression.
    var variables: [String: String]
    /// The command with the values written in, quoted for their places, secrets redacted: for gates and the log.
    var shown: String

    /// Evaluates the expressions of `script`.
    /// - Throws: `ExpressionError` when an expression fails, a value holds a NUL byte (no environment variable can
    ///   carry one), or a value that starts with `-` begins an argument, where the command would take it as an option.
    init(_ script: ShellScript, context: EvaluationContext, redactor: Redactor) throws(ExpressionError) {
        var values: [String] = []
        values.reserveCapacity(script.expressions.count)
        for (index, expression) in script.expressions.enumerated() {
            let text = try expression.evaluate(in: context).stringValue
            if text.utf8.contains(0) {
                throw ExpressionError(
                    offset: script.placements[index].offset,
                    message: "the value of ${{ \(expression.source) }} holds a NUL byte, which cannot be passed to a "
                        + "command; check the value where it comes from (a 'pattern:' on the input)")
            }
            values.append(text)
        }
        if let index = script.optionLikeValue(in: values) {
            let written = "${{ \(script.expressions[index].source) }}"
            throw ExpressionError(
                offset: script.placements[index].offset,
                message: "the value of \(written) is '\(redactor.redact(values[index]))': it starts with '-' and "
                    + "begins an argument of a command, which would take it as an option; write the option and its "
                    + "value as one word (--flag=\(written)), put '--' before the positional arguments, or give the "
                    + "input a 'pattern:' that refuses a leading '-'")
        }
        var variables: [String: String] = [:]
        for (index, value) in values.enumerated() { variables[ShellScript.variable(index)] = value }
        self.command = script.command
        self.variables = variables
        self.shown = redactor.redact(script.shown(values.map(redactor.redact)) { ShellQuoting.shown($0, in: $1) })
    }
}
