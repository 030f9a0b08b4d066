/// A shell step's command compiled so that no expression value is ever parsed by the shell: each `${{ }}` becomes a
/// reference to an environment variable (`RUNBOOK_VALUE_1`, `RUNBOOK_VALUE_2`, … in the order written) in the form
/// its place needs, and the value is handed over in that variable.
///
/// Places where no reference is safe (inside `'…'`, a quoted heredoc, `$((…))`, `[[ … ]]`, `${…}`, the script of
/// `sh -c`, an `eval`, a command sent by ssh…) make compiling fail with a ``ShellScriptRejection``.
public struct ShellScript: Sendable, Hashable {
    /// The prefix of the variables that carry the values; a step's own environment may not use it.
    public static let variablePrefix = "RUNBOOK_VALUE_"

    /// The variable that carries the value of the expression at `index` (from 0): `RUNBOOK_VALUE_1` for the first.
    public static func variable(_ index: Int) -> String { variablePrefix + String(index + 1) }

    /// The command as the shell runs it: the template's text, each expression replaced by its reference.
    public let command: String
    /// The expressions, in the order written.
    public let expressions: [Expression]
    /// Where each expression stands, in the same order.
    public let placements: [ShellValuePlacement]
    /// The text around the expressions: `texts[i]` comes before expression `i`, and the last one after all.
    private let texts: [String]

    /// Compiles `template`, whose text is `text`.
    /// - Throws: ``ShellScriptRejection`` naming every expression that stands where no reference is safe, or the
    ///   first one of a command whose syntax cannot be followed.
    public init(compiling template: Template, text: String) throws(ShellScriptRejection) {
        let (units, offsets) = ShellScriptScanner.units(of: text)
        let expressions = template.expressions
        guard expressions.count == offsets.count else {
            let reason = ShellRefusalReason.unparsable("its expressions cannot be matched with its text")
            throw ShellScriptRejection([
                ShellScriptRefusal(index: 0, offset: offsets.first ?? 0, problem: reason.problem, help: reason.help),
            ])
        }
        var scanner = ShellScriptScanner(units)
        scanner.scan()
        var refusals: [ShellScriptRefusal] = []
        for index in offsets.indices {
            guard let reason = scanner.refusals[index] else { continue }
            refusals.append(ShellScriptRefusal(
                index: index, offset: offsets[index], problem: reason.problem, help: reason.help))
        }
        let unplaced = offsets.indices.first { scanner.contexts[$0] == nil && scanner.refusals[$0] == nil }
        if let failure = scanner.failure ?? (unplaced != nil ? .unparsable("some of its text was not read") : nil) {
            let index = unplaced ?? 0
            if !refusals.contains(where: { $0.index == index }), index < offsets.count {
                refusals.append(ShellScriptRefusal(
                    index: index, offset: offsets[index], problem: failure.problem, help: failure.help))
            }
        }
        guard refusals.isEmpty else {
            throw ShellScriptRejection(refusals.sorted { $0.index < $1.index })
        }

        var texts: [String] = []
        var command: [UInt8] = []
        var text: [UInt8] = []
        var placements: [ShellValuePlacement] = []
        for unit in units {
            switch unit {
            case .byte(let byte):
                command.append(byte)
                text.append(byte)
            case .value(let index):
                let context = scanner.contexts[index] ?? .word
                command += Self.reference(index, in: context).utf8
                texts.append(String(decoding: text, as: UTF8.self))
                text = []
                let preceding = scanner.argumentStarts[index]
                placements.append(ShellValuePlacement(
                    context: context, beginsArgument: preceding != nil, precedingValues: preceding ?? [],
                    offset: offsets[index]))
            }
        }
        texts.append(String(decoding: text, as: UTF8.self))
        self.command = String(decoding: command, as: UTF8.self)
        self.expressions = expressions
        self.placements = placements
        self.texts = texts
    }

    /// How the shell reads the variable of expression `index` in a place of kind `context`.
    public static func reference(_ index: Int, in context: ShellValuePlacement.Context) -> String {
        switch context {
        case .word: "\"${\(variable(index))}\""
        case .doubleQuoted, .heredoc, .comment: "${\(variable(index))}"
        }
    }

    /// The expression whose value would begin an argument with `-`, so that the command would take it as an option:
    /// the first such, or nil.
    /// - Parameter values: The expressions' values as text, in order.
    public func optionLikeValue(in values: [String]) -> Int? {
        placements.indices.first { index in
            let placement = placements[index]
            return placement.beginsArgument && values[index].hasPrefix("-")
                && placement.precedingValues.allSatisfy { values[$0].isEmpty }
        }
    }

    /// The command as people read it, with each value written in by `quoting` (for example shell-quoted): for gates,
    /// dry runs and the audit log, never for running.
    /// - Parameters:
    ///   - values: The expressions' values as text, in order.
    ///   - quoting: Writes one value for its kind of place.
    public func shown(_ values: [String], quoting: (String, ShellValuePlacement.Context) -> String) -> String {
        var output = texts[0]
        for index in placements.indices {
            output += quoting(values[index], placements[index].context)
            output += texts[index + 1]
        }
        return output
    }
}
