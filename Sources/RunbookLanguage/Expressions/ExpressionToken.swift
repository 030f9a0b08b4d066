/// One lexical token of an expression, with the Unicode-scalar offset where it starts.
struct ExpressionToken: Sendable {
    /// What kind of token this is, with its payload.
    enum Kind: Sendable, Equatable {
        /// A name: a context root, a function name, `true`/`false`/`null`, or a property after `.`.
        case name(String)
        /// A string literal's content, with `''` already turned into `'`.
        case string(String)
        /// A number literal's value.
        case number(Double)
        /// Punctuation: `(` `)` `[` `]` `,` `.`
        case leftParen, rightParen, leftBracket, rightBracket, comma, dot
        /// Operators: `!` `||` `&&` `==` `!=` `<` `<=` `>` `>=`
        case not, or, and, equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
        /// The end of the expression.
        case end
    }

    /// The token's kind and payload.
    var kind: Kind
    /// The Unicode-scalar offset of the token's first character.
    var offset: Int

    /// How the token reads in a message, e.g. `'=='`, `name 'foo'`, `the end of the expression`.
    var quoted: String {
        switch kind {
        case .name(let name): "'\(name)'"
        case .string: "string literal"
        case .number: "number"
        case .leftParen: "'('"
        case .rightParen: "')'"
        case .leftBracket: "'['"
        case .rightBracket: "']'"
        case .comma: "','"
        case .dot: "'.'"
        case .not: "'!'"
        case .or: "'||'"
        case .and: "'&&'"
        case .equal: "'=='"
        case .notEqual: "'!='"
        case .less: "'<'"
        case .lessOrEqual: "'<='"
        case .greater: "'>'"
        case .greaterOrEqual: "'>='"
        case .end: "the end of the expression"
        }
    }
}
