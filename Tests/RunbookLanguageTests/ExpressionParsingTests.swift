import Testing

@testable import RunbookLanguage

@Suite("Expression parsing")
struct ExpressionParsingTests {
    @Test("literals")
    func literals() throws {
        #expect(try parsedTree("'text'") == .literal("text"))
        #expect(try parsedTree("'it''s'") == .literal("it's"))
        #expect(try parsedTree("''") == .literal(""))
        #expect(try parsedTree("'}} ${{ é'") == .literal("}} ${{ é"))
        #expect(try parsedTree("42") == .literal(42))
        #expect(try parsedTree("-1") == .literal(-1))
        #expect(try parsedTree("3.25") == .literal(3.25))
        #expect(try parsedTree("-0.5") == .literal(-0.5))
        #expect(try parsedTree("1e3") == .literal(1000))
        #expect(try parsedTree("2.5E-2") == .literal(0.025))
        #expect(try parsedTree("1e+2") == .literal(100))
        #expect(try parsedTree("0x1F") == .literal(31))
        #expect(try parsedTree("0XfF") == .literal(255))
        #expect(try parsedTree("-0x10") == .literal(-16))
        #expect(try parsedTree("007") == .literal(7))
        #expect(try parsedTree("123456789012345678901") == .literal(123_456_789_012_345_678_901.0))
        #expect(try parsedTree("true") == .literal(true))
        #expect(try parsedTree("false") == .literal(false))
        #expect(try parsedTree("null") == .literal(.null))
        #expect(try parsedTree("  \t\n true \r\n") == .literal(true))
    }

    @Test("access chains")
    func access() throws {
        #expect(try parsedTree("inputs") == contextNode("inputs"))
        #expect(try parsedTree("inputs.service") == .member(contextNode("inputs"), name: "service"))
        #expect(
            try parsedTree("steps.scale-up.outputs")
                == .member(.member(contextNode("steps"), name: "scale-up"), name: "outputs"))
        #expect(try parsedTree("a['b-c']") == .index(contextNode("a"), .literal("b-c")))
        #expect(try parsedTree("a[0]") == .index(contextNode("a"), .literal(0)))
        #expect(try parsedTree("a[b.c]") == .index(contextNode("a"), .member(contextNode("b"), name: "c")))
        #expect(try parsedTree("a [ 0 ] . b") == .member(.index(contextNode("a"), .literal(0)), name: "b"))
        #expect(
            try parsedTree("steps.1-restart.outcome")
                == .member(.member(contextNode("steps"), name: "1-restart"), name: "outcome"))
        #expect(try parsedTree("a.true.null") == .member(.member(contextNode("a"), name: "true"), name: "null"))
        #expect(try parsedTree("a.1.5") == .member(.member(contextNode("a"), name: "1"), name: "5"))
        #expect(try parsedTree("_x-1") == contextNode("_x-1"))
        #expect(
            try parsedTree("fromJSON(a).b[0]")
                == .index(.member(.call(.fromJSON, arguments: [contextNode("a")], offset: 0), name: "b"), .literal(0)))
        #expect(try parsedTree("(a || b).c") == .member(.binary(.or, contextNode("a"), contextNode("b")), name: "c"))
        #expect(try parsedTree("1.x") == .member(.literal(1), name: "x"))
    }

    @Test("each precedence level, loosest first")
    func precedence() throws {
        #expect(
            try parsedTree("a || b && c")
                == .binary(.or, contextNode("a"), .binary(.and, contextNode("b"), contextNode("c"))))
        #expect(
            try parsedTree("a && b || c")
                == .binary(.or, .binary(.and, contextNode("a"), contextNode("b")), contextNode("c")))
        #expect(
            try parsedTree("a && b == c")
                == .binary(.and, contextNode("a"), .binary(.equal, contextNode("b"), contextNode("c"))))
        #expect(
            try parsedTree("a != b && c")
                == .binary(.and, .binary(.notEqual, contextNode("a"), contextNode("b")), contextNode("c")))
        #expect(
            try parsedTree("a == b < c")
                == .binary(.equal, contextNode("a"), .binary(.less, contextNode("b"), contextNode("c"))))
        #expect(
            try parsedTree("a >= b != c")
                == .binary(.notEqual, .binary(.greaterOrEqual, contextNode("a"), contextNode("b")), contextNode("c")))
        #expect(try parsedTree("!a < b") == .binary(.less, .not(contextNode("a")), contextNode("b")))
        #expect(try parsedTree("!a.b") == .not(.member(contextNode("a"), name: "b")))
        #expect(try parsedTree("!!a") == .not(.not(contextNode("a"))))
        #expect(try parsedTree("!(a || b)") == .not(.binary(.or, contextNode("a"), contextNode("b"))))
        #expect(
            try parsedTree("(a || b) && c")
                == .binary(.and, .binary(.or, contextNode("a"), contextNode("b")), contextNode("c")))
        #expect(
            try parsedTree("a <= b > c")
                == .binary(.greater, .binary(.lessOrEqual, contextNode("a"), contextNode("b")), contextNode("c")))
        #expect(
            try parsedTree("a || b || c")
                == .binary(.or, .binary(.or, contextNode("a"), contextNode("b")), contextNode("c")))
        #expect(
            try parsedTree("a == b == c")
                == .binary(.equal, .binary(.equal, contextNode("a"), contextNode("b")), contextNode("c")))
        #expect(try parsedTree("a<-1") == .binary(.less, contextNode("a"), .literal(-1)))
    }

    @Test("function calls")
    func calls() throws {
        #expect(try parsedTree("success()") == .call(.success, arguments: [], offset: 0))
        #expect(
            try parsedTree("contains( a , 'x' )")
                == .call(.contains, arguments: [contextNode("a"), .literal("x")], offset: 0))
        #expect(try parsedTree("format('{0}-{1}', a, b)").description == "format('{0}-{1}', a, b)")
        #expect(try parsedTree("join(a)") == .call(.join, arguments: [contextNode("a")], offset: 0))
        #expect(
            try parsedTree("join(a, ', ')") == .call(.join, arguments: [contextNode("a"), .literal(", ")], offset: 0))
        #expect(try parsedTree("format('x')") == .call(.format, arguments: [.literal("x")], offset: 0))
        #expect(try parsedTree("success") == contextNode("success"))
    }

    @Test("offsets are Unicode-scalar offsets plus the given base")
    func offsets() throws {
        let expression = try Expression(parsing: "'é😀' == inputs.x || cancelled()", offset: 10)
        guard
            case .binary(
                .or, .binary(.equal, _, .member(.context(_, let rootOffset), _)), .call(_, _, let callOffset)) =
                expression.root
        else {
            Issue.record("unexpected tree \(expression.root)")
            return
        }
        #expect(rootOffset == 18)
        #expect(callOffset == 30)
    }

    @Test(
        "malformed expressions report the exact offset and message",
        arguments: [
            ("", 0, "empty expression; write a value, a context such as 'inputs.name', or a function call"),
            ("   ", 3, "empty expression; write a value, a context such as 'inputs.name', or a function call"),
            ("a ==", 4, "expected a value after '=='"),
            ("a && || b", 5, "expected a value after '&&', found '||'"),
            ("(a || b", 7, "expected ')' to close '(' at offset 0, found the end of the expression"),
            ("x && (a || b c)", 13, "expected ')' to close '(' at offset 5, found 'c'"),
            ("'abc", 0, "unterminated string literal; close it with '"),
            ("a == 'it''s", 5, "unterminated string literal; close it with '"),
            ("a $ b", 2, "unexpected character '$'"),
            (
                "a == ${{ b }}", 5,
                "unexpected character '$'; '${{ }}' must wrap the whole expression and cannot be nested"
            ),
            ("a = b", 2, "unexpected character '='; compare with '=='"),
            ("a & b", 2, "unexpected character '&'; write '&&' for 'and'"),
            ("a | b", 2, "unexpected character '|'; write '||' for 'or'"),
            ("a == \"x\"", 5, "unexpected character '\"'; string literals use single quotes, e.g. 'text'"),
            (
                "a - 1", 2,
                "unexpected character '-'; expressions have no arithmetic, and a negative number needs a digit right "
                    + "after '-'"
            ),
            ("a }}", 2, "unexpected character '}'"),
            ("a\u{7}", 1, "unexpected character U+0007"),
            ("'é' == x €", 9, "unexpected character '€'"),
            ("contain('a', 'b')", 0, "unknown function 'contain' (did you mean 'contains'?)"),
            ("x && Contains(a, b)", 5, "unknown function 'Contains' (did you mean 'contains'?)"),
            (
                "frobnicate()", 0,
                "unknown function 'frobnicate'; the functions are contains, startsWith, endsWith, format, join, "
                    + "length, toJSON, fromJSON, success, failure, always, cancelled"
            ),
            ("x && contains('a')", 5, "'contains' takes 2 arguments, got 1"),
            ("success(1)", 0, "'success' takes no arguments, got 1"),
            ("join(a, b, c)", 0, "'join' takes 1 or 2 arguments, got 3"),
            ("format()", 0, "'format' takes at least 1 argument, got 0"),
            ("length()", 0, "'length' takes 1 argument, got 0"),
            (
                "format('{2}', a)", 0,
                "format string refers to argument {2}, but only 1 argument follows it (they are numbered from {0})"
            ),
            (
                "format('{x}', a)", 0,
                "format string has an invalid placeholder at character 0; write {0}, {1}, … for arguments and '{{' "
                    + "for a literal brace"
            ),
            ("format('a}b')", 0, "format string has an unmatched '}' at character 1; write '}}' for a literal brace"),
            ("contains(a,)", 11, "expected a value, a context or a function call, found ')'"),
            (
                "contains(a b)", 11,
                "expected ',' or ')' after argument 1 of 'contains', found 'b'; the '(' is at offset 8"
            ),
            ("a.", 2, "expected a property name after '.', found the end of the expression"),
            ("a.'b'", 2, "expected a property name after '.', found string literal"),
            ("a[0", 3, "expected ']' to close '[' at offset 1, found the end of the expression"),
            ("a[]", 2, "expected an index or property name inside '[ ]'"),
            (
                "a b", 2,
                "unexpected 'b' after a complete expression; combine conditions with '&&' or '||', or compare with '=='"
            ),
            ("a)", 1, "unexpected ')' without a matching '('"),
            ("a]", 1, "unexpected ']' without a matching '['"),
            ("a, b", 1, "unexpected ','; commas only separate function arguments"),
            ("true(1)", 4, "unexpected '('; only functions can be called"),
            (")", 0, "expected a value, a context or a function call, found ')'"),
            ("!", 1, "expected a value after '!'"),
            ("1abc", 0, "'1abc' is not a valid number"),
            ("a == 0x", 5, "'0x' needs hexadecimal digits after '0x'"),
            ("a == 0x1G", 5, "'0x1G' is not a valid number"),
            ("1e", 0, "'1e' is not a valid number"),
            ("1-2", 0, "'1-2' is not a valid number"),
            ("1e999", 0, "'1e999' is too large to be a number"),
        ] as [(String, Int, String)])
    func malformed(source: String, offset: Int, message: String) {
        #expect(expressionParseError(source) == ExpressionError(offset: offset, message: message))
    }

    @Test("the base offset is added to error offsets")
    func baseOffset() {
        #expect(
            expressionParseError("a $", offset: 10) == ExpressionError(offset: 12, message: "unexpected character '$'"))
        #expect(expressionParseError("'x", offset: 7)?.offset == 7)
    }

    @Test("nesting is capped with a clear error instead of exhausting the stack")
    func nestingCap() throws {
        let message = "expression is nested too deeply (more than 100 levels); split it into smaller expressions"
        let parens = String(repeating: "(", count: 5_000) + "a" + String(repeating: ")", count: 5_000)
        #expect(expressionParseError(parens) == ExpressionError(offset: 100, message: message))
        let nots = String(repeating: "!", count: 10_000) + "a"
        #expect(expressionParseError(nots) == ExpressionError(offset: 100, message: message))
        let chain = (0..<5_000).map { _ in "a" }.joined(separator: "||")
        #expect(expressionParseError(chain) == ExpressionError(offset: 301, message: message))
        let members = "a" + String(repeating: ".b", count: 5_000)
        #expect(expressionParseError(members)?.offset == 201)
        let calls = String(repeating: "toJSON(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        #expect(expressionParseError(calls)?.message == message)
        // Well within the cap parses and evaluates.
        let fifty = String(repeating: "(", count: 50) + "inputs.count" + String(repeating: ")", count: 50)
        #expect(try evaluateExpression(fifty) == 3)
    }

    @Test(
        "description re-prints canonically and parses back to an equal tree",
        arguments: [
            ("a||b&&c", "a || b && c"),
            ("(a||b)&&c", "(a || b) && c"),
            ("a || (b || c)", "a || (b || c)"),
            ("(a || b) || c", "a || b || c"),
            ("!(a == b)", "!(a == b)"),
            ("! ! a", "!!a"),
            ("(!a).b", "(!a).b"),
            ("a['b-c'][0].d", "a['b-c'][0].d"),
            ("'it''s'", "'it''s'"),
            ("0x10 < -2.50", "16 < -2.5"),
            ("1e21", "1e+21"),
            ("(1).x", "(1).x"),
            ("format( '{0}' ,a )", "format('{0}', a)"),
            ("success()||failure( )", "success() || failure()"),
            ("steps.1-restart.outcome", "steps.1-restart.outcome"),
            ("((a))", "a"),
            ("a < (b < c)", "a < (b < c)"),
        ] as [(String, String)])
    func canonicalDescription(source: String, canonical: String) throws {
        let expression = try Expression(parsing: source)
        #expect(expression.description == canonical)
        #expect(try Expression(parsing: canonical).root == expression.root)
    }

    @Test("hand-built trees with names that cannot follow a dot print as brackets")
    func handBuiltDescription() {
        #expect(ExpressionNode.member(contextNode("a"), name: "b c").description == "a['b c']")
        #expect(ExpressionNode.literal(["x": 1]).description == #"fromJSON('{"x":1}')"#)
    }

    @Test("equality ignores offsets; expressions compare source and tree")
    func equality() throws {
        let first = try Expression(parsing: "a.b || c")
        let shifted = try Expression(parsing: "a.b || c", offset: 40)
        let spaced = try Expression(parsing: "a.b||c")
        #expect(first == shifted)
        #expect(first.hashValue == shifted.hashValue)
        #expect(first.root == spaced.root)
        #expect(first.root.hashValue == spaced.root.hashValue)
        #expect(first != spaced)
        #expect(first.source == "a.b || c")
        #expect(try parsedTree("a") != parsedTree("b"))
        #expect(try parsedTree("a.b") != parsedTree("a['b']"))
    }
}
