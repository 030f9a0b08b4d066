extension ExpressionNode: CustomStringConvertible {
    /// The canonical text of the tree, with only the parentheses precedence needs; it parses back
    /// to an equal tree.
    ///
    /// Literals that expressions cannot write (arrays, objects, `NaN`, infinities) only occur in trees
    /// built by hand; arrays and objects print as `fromJSON('…')`.
    public var description: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// The binding strength of the node's outermost construct: a binary operator's precedence, or
    /// one above the tightest operator for everything else.
    var precedence: Int {
        if case .binary(let op, _, _) = self { return op.precedence }
        return ExpressionOperator.tightestPrecedence + 1
    }

    /// Appends the canonical text to `output`.
    func write(to output: inout String) {
        switch self {
        case .literal(let value):
            Self.writeLiteral(value, to: &output)
        case .context(let name, _):
            output += name
        case .member(let base, let name):
            base.writeAccessBase(to: &output)
            if Self.isPropertyName(name) {
                output += "."
                output += name
            } else {
                output += "["
                Self.writeLiteral(.string(name), to: &output)
                output += "]"
            }
        case .index(let base, let index):
            base.writeAccessBase(to: &output)
            output += "["
            index.write(to: &output)
            output += "]"
        case .not(let operand):
            output += "!"
            operand.write(to: &output, parenthesized: operand.precedence <= ExpressionOperator.tightestPrecedence)
        case .binary(let op, let left, let right):
            left.write(to: &output, parenthesized: left.precedence < op.precedence)
            output += " "
            output += op.symbol
            output += " "
            right.write(to: &output, parenthesized: right.precedence <= op.precedence)
        case .call(let function, let arguments, _):
            output += function.name
            output += "("
            for (position, argument) in arguments.enumerated() {
                if position > 0 { output += ", " }
                argument.write(to: &output)
            }
            output += ")"
        }
    }

    /// Appends the text, in parentheses when asked.
    private func write(to output: inout String, parenthesized: Bool) {
        if parenthesized { output += "(" }
        write(to: &output)
        if parenthesized { output += ")" }
    }

    /// Appends the text of a node that `.name` or `[index]` follows; operators, `!` and numbers
    /// (where `1.x` would read as a malformed number) are parenthesized.
    private func writeAccessBase(to output: inout String) {
        let parenthesized: Bool
        switch self {
        case .binary, .not, .literal(.number): parenthesized = true
        case .literal, .context, .member, .index, .call: parenthesized = false
        }
        write(to: &output, parenthesized: parenthesized)
    }

    /// Appends a literal as the expression language writes it.
    private static func writeLiteral(_ value: Value, to output: inout String) {
        switch value {
        case .null:
            output += "null"
        case .bool, .number:
            output += value.stringValue
        case .string(let text):
            output += "'"
            for character in text.unicodeScalars {
                if character == "'" { output += "''" } else { output.unicodeScalars.append(character) }
            }
            output += "'"
        case .array, .object:
            output += "fromJSON("
            writeLiteral(.string(value.jsonString(pretty: false)), to: &output)
            output += ")"
        }
    }

    /// Whether `name` can follow a `.`: ASCII letters, digits, `_` and `-`, not starting with `-`.
    static func isPropertyName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "-") else { return false }
        return name.utf8.allSatisfy(ExpressionCharacters.isNameContinuation)
    }
}
