/// A recursive-descent parser from tokens to an `ExpressionNode` tree.
///
/// Precedence, loosest first: `||`, `&&`, `==`/`!=`, `<`/`<=`/`>`/`>=`, `!`, then `.name`, `[index]`
/// and calls. Nesting is capped so hostile input cannot exhaust the stack, here or in evaluation.
struct ExpressionParser {
    /// The deepest nesting accepted: parentheses, brackets, arguments, `!`, accesses and operators.
    static let maximumDepth = 100

    /// Where tokens come from.
    private var lexer: ExpressionLexer
    /// The current token.
    private var token: ExpressionToken
    /// The token before the current one, for messages such as "expected a value after '&&'".
    private var previous: ExpressionToken?
    /// The current nesting depth.
    private var depth = 0
    /// Whether a status function has been parsed.
    private(set) var usesStatusFunction = false

    /// Creates a parser reading the first token from `lexer`.
    init(lexer: ExpressionLexer) throws(ExpressionError) {
        self.lexer = lexer
        self.token = try self.lexer.next(afterDot: false)
    }

    /// Parses one whole expression, up to the end of the text.
    mutating func parseExpression() throws(ExpressionError) -> ExpressionNode {
        if token.kind == .end {
            throw ExpressionError(
                offset: token.offset,
                message: "empty expression; write a value, a context such as 'inputs.name', or a function call")
        }
        let node = try parseBinary(precedence: 0)
        guard token.kind == .end else { throw unexpectedTokenAfterExpression() }
        return node
    }

    /// Parses operators of `precedence` and tighter, left-associatively.
    private mutating func parseBinary(precedence: Int) throws(ExpressionError) -> ExpressionNode {
        guard precedence <= ExpressionOperator.tightestPrecedence else { return try parseUnary() }
        var left = try parseBinary(precedence: precedence + 1)
        let outerDepth = depth
        defer { depth = outerDepth }
        while let op = ExpressionOperator(token: token.kind), op.precedence == precedence {
            try enterNesting()
            try advance()
            let right = try parseBinary(precedence: precedence + 1)
            left = .binary(op, left, right)
        }
        return left
    }

    /// Parses `!` operand, or an access chain.
    private mutating func parseUnary() throws(ExpressionError) -> ExpressionNode {
        guard token.kind == .not else { return try parseAccess() }
        let outerDepth = depth
        defer { depth = outerDepth }
        try enterNesting()
        try advance()
        return .not(try parseUnary())
    }

    /// Parses a primary followed by any number of `.name` and `[index]`.
    private mutating func parseAccess() throws(ExpressionError) -> ExpressionNode {
        var node = try parsePrimary()
        let outerDepth = depth
        defer { depth = outerDepth }
        while true {
            switch token.kind {
            case .dot:
                try enterNesting()
                try advance()
                guard case .name(let name) = token.kind else {
                    throw ExpressionError(
                        offset: token.offset, message: "expected a property name after '.', found \(token.quoted)")
                }
                try advance()
                node = .member(node, name: name)
            case .leftBracket:
                let open = token
                try enterNesting()
                try advance()
                if token.kind == .rightBracket {
                    throw ExpressionError(
                        offset: token.offset, message: "expected an index or property name inside '[ ]'")
                }
                let index = try parseBinary(precedence: 0)
                try expect(.rightBracket, closing: open)
                node = .index(node, index)
            default:
                return node
            }
        }
    }

    /// Parses a literal, a context, a function call or a parenthesized expression.
    private mutating func parsePrimary() throws(ExpressionError) -> ExpressionNode {
        let start = token
        switch start.kind {
        case .number(let number):
            try advance()
            return .literal(.number(number))
        case .string(let text):
            try advance()
            return .literal(.string(text))
        case .name(let name):
            try advance()
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            default: break
            }
            guard token.kind == .leftParen else { return .context(name, offset: start.offset) }
            return try parseCall(name: name, at: start.offset)
        case .leftParen:
            let outerDepth = depth
            defer { depth = outerDepth }
            try enterNesting()
            try advance()
            let inner = try parseBinary(precedence: 0)
            try expect(.rightParen, closing: start)
            return inner
        default:
            throw missingOperand()
        }
    }

    /// Parses the arguments of a call whose name is at `offset`; the current token is `(`.
    private mutating func parseCall(name: String, at offset: Int) throws(ExpressionError) -> ExpressionNode {
        guard let function = ExpressionFunction(rawValue: name) else {
            throw ExpressionError(offset: offset, message: ExpressionFunction.unknownFunctionMessage(name))
        }
        let open = token
        let outerDepth = depth
        defer { depth = outerDepth }
        try enterNesting()
        try advance()
        var arguments: [ExpressionNode] = []
        if token.kind == .rightParen {
            try advance()
        } else {
            while true {
                arguments.append(try parseBinary(precedence: 0))
                if token.kind == .comma {
                    try advance()
                    continue
                }
                guard token.kind == .rightParen else {
                    throw ExpressionError(
                        offset: token.offset,
                        message: "expected ',' or ')' after argument \(arguments.count) of '\(name)', found "
                            + "\(token.quoted); the '(' is at offset \(open.offset)")
                }
                try advance()
                break
            }
        }
        if let problem = function.arityProblem(argumentCount: arguments.count) {
            throw ExpressionError(offset: offset, message: problem)
        }
        if function == .format, case .literal(.string(let pattern)) = arguments.first {
            // A literal pattern is checked now, so `runbook validate` reports it before any run.
            let placeholders = [Value](repeating: .null, count: arguments.count - 1)
            if case .failure(let problem) = FormatString.render(pattern, arguments: placeholders) {
                throw ExpressionError(offset: offset, message: problem.message)
            }
        }
        if function.isStatusFunction { usesStatusFunction = true }
        return .call(function, arguments: arguments, offset: offset)
    }

    /// Consumes the token closing `open`, or fails naming where `open` is.
    private mutating func expect(_ kind: ExpressionToken.Kind, closing open: ExpressionToken) throws(ExpressionError) {
        guard token.kind == kind else {
            let closer = kind == .rightParen ? "')'" : "']'"
            throw ExpressionError(
                offset: token.offset,
                message: "expected \(closer) to close \(open.quoted) at offset \(open.offset), found \(token.quoted)")
        }
        try advance()
    }

    /// Moves to the next token.
    private mutating func advance() throws(ExpressionError) {
        let afterDot = token.kind == .dot
        previous = token
        token = try lexer.next(afterDot: afterDot)
    }

    /// Goes one level deeper, failing past `maximumDepth`.
    private mutating func enterNesting() throws(ExpressionError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw ExpressionError(
                offset: token.offset,
                message: "expression is nested too deeply (more than \(Self.maximumDepth) levels); "
                    + "split it into smaller expressions")
        }
    }

    /// The error for a token where a value should start.
    private func missingOperand() -> ExpressionError {
        let found = token.kind == .end ? "" : ", found \(token.quoted)"
        let message: String
        if let previous, previous.kind != .leftParen, previous.kind != .leftBracket, previous.kind != .comma {
            message = "expected a value after \(previous.quoted)\(found)"
        } else {
            message = "expected a value, a context or a function call\(found)"
        }
        return ExpressionError(offset: token.offset, message: message)
    }

    /// The error for a token left over after a complete expression.
    private func unexpectedTokenAfterExpression() -> ExpressionError {
        let message: String
        switch token.kind {
        case .rightParen: message = "unexpected ')' without a matching '('"
        case .rightBracket: message = "unexpected ']' without a matching '['"
        case .comma: message = "unexpected ','; commas only separate function arguments"
        case .leftParen: message = "unexpected '('; only functions can be called"
        default:
            message =
                "unexpected \(token.quoted) after a complete expression; "
                + "combine conditions with '&&' or '||', or compare with '=='"
        }
        return ExpressionError(offset: token.offset, message: message)
    }
}
