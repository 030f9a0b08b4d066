/// A parsed expression of the runbook language, such as `steps.stopped.outputs.oom_count > 0`.
///
/// Parse once, evaluate many times. Equality compares the source text and the tree.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
    /// The text that was parsed (for an expression inside `${{ }}`, the text between the braces,
    /// without surrounding whitespace).
    public let source: String
    /// The syntax tree.
    public let root: ExpressionNode
    /// Whether `success()`, `failure()`, `always()` or `cancelled()` appears anywhere; an `if:` without
    /// them means `success() && (expression)`.
    public let usesStatusFunction: Bool

    /// Parses an expression.
    /// - Parameters:
    ///   - source: The expression text, without `${{ }}`.
    ///   - offset: Added to every offset reported in errors, references and evaluation errors, for text
    ///     that starts inside a larger string.
    /// - Throws: `ExpressionError` at the offset of the first problem: an unexpected character, an
    ///   unterminated string, a missing operand or parenthesis, an unknown function, a wrong number
    ///   of arguments, or nesting deeper than 100 levels.
    public init(parsing source: String, offset: Int = 0) throws(ExpressionError) {
        let bytes = Array(source.utf8)
        try self.init(bytes: bytes, range: 0..<bytes.count, offset: offset, source: source)
    }

    /// Parses `bytes[range]`, whose first character is at Unicode-scalar `offset`; `source` is the
    /// text to keep, or `nil` to take the range's text without surrounding whitespace.
    init(bytes: [UInt8], range: Range<Int>, offset: Int, source: String? = nil) throws(ExpressionError) {
        var parser = try ExpressionParser(lexer: ExpressionLexer(bytes: bytes, range: range, offset: offset))
        root = try parser.parseExpression()
        usesStatusFunction = parser.usesStatusFunction
        if let source {
            self.source = source
        } else {
            var start = range.lowerBound
            var end = range.upperBound
            while start < end, ExpressionCharacters.isWhitespace(bytes[start]) { start += 1 }
            while end > start, ExpressionCharacters.isWhitespace(bytes[end - 1]) { end -= 1 }
            self.source = String(decoding: bytes[start..<end], as: UTF8.self)
        }
    }

    /// Every access path that starts at a root context (`inputs`, `steps`, …), in source order, for
    /// the checker to validate.
    public var references: [ContextReference] {
        root.references
    }

    /// Evaluates the expression.
    /// - Parameter context: The contexts and upstream status to read.
    /// - Returns: The value; `||` and `&&` return one of their operands, not necessarily a boolean.
    /// - Throws: `ExpressionError` when `format()`'s pattern is invalid for its arguments or
    ///   `fromJSON()` is given text that is not JSON.
    public func evaluate(in context: EvaluationContext) throws(ExpressionError) -> Value {
        try root.evaluate(in: context)
    }

    /// The canonical text of the expression, which parses back to an equal tree.
    public var description: String {
        root.description
    }

    /// Whether both have the same source text and tree.
    public static func == (left: Expression, right: Expression) -> Bool {
        left.source == right.source && left.root == right.root
    }

    /// Hashes the source text.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
    }
}
