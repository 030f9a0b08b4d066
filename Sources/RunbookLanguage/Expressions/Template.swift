/// A string that may hold `${{ expression }}` parts, such as `"Scale ${{ inputs.service }} to 4"`.
///
/// A template that is exactly one `${{ }}` (nothing outside the braces) keeps the value's type when
/// rendered; any other template renders to a string.
public struct Template: Sendable, Hashable {
    /// A piece of a template.
    public enum Segment: Sendable, Hashable {
        /// Text copied as written.
        case text(String)
        /// An expression replaced by its value.
        case expression(Expression)
    }

    /// The literal text and expressions, in order; adjacent text is one segment, and empty text
    /// makes no segment.
    public let segments: [Segment]

    /// Splits `text` into literal text and `${{ }}` expressions.
    ///
    /// The end of each expression is found by the lexer, so a `}}` inside a string literal
    /// (`${{ format('{{x}}') }}`) does not end it.
    /// - Parameter text: The template text.
    /// - Throws: `ExpressionError` for a `${{` that is never closed (at the offset of `${{`) or an
    ///   invalid expression (at its offset in `text`).
    public init(parsing text: String) throws(ExpressionError) {
        let bytes = Array(text.utf8)
        var segments: [Segment] = []
        var textStart = 0
        var index = 0
        var offset = 0
        while index < bytes.count {
            guard Self.opensExpression(bytes, at: index) else {
                if bytes[index] & 0xC0 != 0x80 { offset += 1 }
                index += 1
                continue
            }
            if textStart < index {
                segments.append(.text(String(decoding: bytes[textStart..<index], as: UTF8.self)))
            }
            let (expression, close) = try Self.parseExpression(in: bytes, openingAt: index, offset: offset)
            segments.append(.expression(expression))
            index = close.index + 2
            offset = close.offset + 2
            textStart = index
        }
        if textStart < bytes.count {
            segments.append(.text(String(decoding: bytes[textStart..<bytes.count], as: UTF8.self)))
        }
        self.segments = segments
    }

    /// Creates a template from segments as they are.
    /// - Parameter segments: The text and expressions, in order.
    public init(segments: [Segment]) {
        self.segments = segments
    }

    /// Whether the template holds no expressions, so it always renders to its text.
    public var isLiteral: Bool {
        !segments.contains { if case .expression = $0 { true } else { false } }
    }

    /// The expression when the whole template is exactly one `${{ }}`, whose value keeps its type.
    public var singleExpression: Expression? {
        guard segments.count == 1, case .expression(let expression) = segments[0] else { return nil }
        return expression
    }

    /// The template's expressions, in order.
    public var expressions: [Expression] {
        segments.compactMap { if case .expression(let expression) = $0 { expression } else { nil } }
    }

    /// Renders the template: the expression's own value when it is a single expression, otherwise
    /// a string of the text with each expression's `stringValue`.
    /// - Parameter context: The contexts and status to evaluate against.
    /// - Throws: `ExpressionError` when an expression fails to evaluate.
    public func render(in context: EvaluationContext) throws(ExpressionError) -> Value {
        if let singleExpression {
            return try singleExpression.evaluate(in: context)
        }
        return .string(try render(in: context, quoting: { $0 }))
    }

    /// Renders the template to text, passing each expression's `stringValue` through `quoting` (to escape it, say);
    /// literal text is copied untouched.
    /// - Throws: `ExpressionError` when an expression fails to evaluate.
    public func render(
        in context: EvaluationContext, quoting: (String) -> String
    ) throws(ExpressionError) -> String {
        var output = ""
        for segment in segments {
            switch segment {
            case .text(let text):
                output += text
            case .expression(let expression):
                output += quoting(try expression.evaluate(in: context).stringValue)
            }
        }
        return output
    }

    /// Whether `${{` starts at byte `index`.
    static func opensExpression(_ bytes: [UInt8], at index: Int) -> Bool {
        index + 2 < bytes.count && bytes[index] == UInt8(ascii: "$") && bytes[index + 1] == UInt8(ascii: "{")
            && bytes[index + 2] == UInt8(ascii: "{")
    }

    /// Parses the expression of the `${{` at byte `index` (Unicode-scalar `offset`) and returns it
    /// with the position of its closing `}}`.
    static func parseExpression(
        in bytes: [UInt8], openingAt index: Int, offset: Int
    ) throws(ExpressionError) -> (Expression, close: (index: Int, offset: Int)) {
        switch ExpressionLexer.templateClose(in: bytes, from: index + 3, offset: offset + 3) {
        case .found(let closeIndex, let closeOffset):
            let expression = try Expression(bytes: bytes, range: (index + 3)..<closeIndex, offset: offset + 3)
            return (expression, (closeIndex, closeOffset))
        case .unclosed(let openString):
            var message = "'${{' is never closed; end the expression with '}}'"
            if let openString {
                message += " (the string literal at offset \(openString) is never closed with ', so it runs to the end)"
            }
            throw ExpressionError(offset: offset, message: message)
        }
    }
}
