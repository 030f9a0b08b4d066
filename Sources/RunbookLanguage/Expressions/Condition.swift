/// Parsing for `if:` and `retry.until`, which take a bare expression or one wrapped in `${{ }}`.
public enum Condition {
    /// Parses a condition: `steps.a.outcome == 'failure'` or `${{ steps.a.outcome == 'failure' }}`.
    ///
    /// When the text (after leading whitespace) starts with `${{`, the whole condition must be that
    /// one `${{ }}`; only whitespace may follow its `}}`.
    /// - Parameter text: The condition as written.
    /// - Returns: The expression, with offsets relative to `text`.
    /// - Throws: `ExpressionError` at the offset of the problem in `text`.
    public static func parse(_ text: String) throws(ExpressionError) -> Expression {
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count, ExpressionCharacters.isWhitespace(bytes[start]) { start += 1 }
        guard Template.opensExpression(bytes, at: start) else {
            return try Expression(bytes: bytes, range: 0..<bytes.count, offset: 0, source: text)
        }
        // Leading whitespace is ASCII, so its byte count is its scalar count.
        let (expression, close) = try Template.parseExpression(in: bytes, openingAt: start, offset: start)
        var index = close.index + 2
        var offset = close.offset + 2
        while index < bytes.count, ExpressionCharacters.isWhitespace(bytes[index]) {
            index += 1
            offset += 1
        }
        guard index == bytes.count else {
            throw ExpressionError(
                offset: offset,
                message: "unexpected text after '}}'; a condition in '${{ }}' must be one expression, "
                    + "so put all of it inside the braces or drop them")
        }
        return expression
    }
}
