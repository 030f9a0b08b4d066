import Testing

@testable import RunbookLanguage

@Suite("Expression evaluation")
struct ExpressionEvaluationTests {
    @Test("access: properties, brackets, indexes; missing is null")
    func access() throws {
        #expect(try evaluateExpression("inputs.service") == "api")
        #expect(try evaluateExpression("steps.scale-up.outputs.count") == "3")
        #expect(try evaluateExpression("steps.scale-up.outputs['b-c']") == "dashed")
        #expect(try evaluateExpression("steps['scale-up'].outcome") == "success")
        #expect(try evaluateExpression("steps.1-restart.outcome") == "skipped")
        #expect(try evaluateExpression("inputs.list[0]") == 1)
        #expect(try evaluateExpression("inputs.list[1]") == "two")
        #expect(try evaluateExpression("inputs.list[3]") == .null)
        #expect(try evaluateExpression("inputs.list[4]") == .null)
        #expect(try evaluateExpression("inputs.list[-1]") == .null)
        #expect(try evaluateExpression("inputs.list['1']") == "two")
        #expect(try evaluateExpression("inputs.names[inputs.count]") == .null)
        #expect(try evaluateExpression("inputs.names[length(inputs.names) == 3]") == .null)
        #expect(try evaluateExpression("inputs.names[steps.scale-up.outputs.zero]") == "a")
        #expect(try evaluateExpression("inputs[steps.scale-up.outcome]") == .null)
        #expect(try evaluateExpression("inputs['ser' ]") == .null)
        #expect(try evaluateExpression("inputs.missing") == .null)
        #expect(try evaluateExpression("inputs.missing.deeper[0].still") == .null)
        #expect(try evaluateExpression("alert.labels.service") == .null)
        #expect(try evaluateExpression("nosuchcontext.x") == .null)
        #expect(try evaluateExpression("inputs.service.length") == .null)
        #expect(try evaluateExpression("inputs.count.x") == .null)
        #expect(try evaluateExpression("inputs") == expressionSampleContexts["inputs"])
        #expect(try evaluateExpression("fromJSON(steps.scale-up.outputs.json).a[1]") == 2)
    }

    @Test("|| and && short-circuit and return an operand")
    func logicalOperators() throws {
        #expect(try evaluateExpression("inputs.missing || 'default'") == "default")
        #expect(try evaluateExpression("inputs.service || 'default'") == "api")
        #expect(try evaluateExpression("inputs.empty || 0 || null") == .null)
        #expect(try evaluateExpression("inputs.count && inputs.service") == "api")
        #expect(try evaluateExpression("inputs.empty && inputs.service") == "")
        #expect(try evaluateExpression("0 && x") == 0)
        #expect(try evaluateExpression("inputs.list || false") == expressionSampleContexts["inputs"]?.member("list"))
        // The right operand is not evaluated when the left decides: fromJSON('{') would throw.
        #expect(try evaluateExpression("true || fromJSON('{')") == true)
        #expect(try evaluateExpression("false && fromJSON('{')") == false)
        #expect(expressionEvaluationError("false || fromJSON('{')") != nil)
        #expect(expressionEvaluationError("true && fromJSON('{')") != nil)
    }

    @Test("! always returns a boolean")
    func not() throws {
        #expect(try evaluateExpression("!inputs.missing") == true)
        #expect(try evaluateExpression("!inputs.service") == false)
        #expect(try evaluateExpression("!0") == true)
        #expect(try evaluateExpression("!''") == true)
        #expect(try evaluateExpression("!!inputs.names") == true)
        #expect(try evaluateExpression("!fromJSON('{}')") == false)
    }

    @Test(
        "== and != across types",
        arguments: [
            ("1 == 1", true), ("1 == 2", false), ("'a' == 'a'", true), ("'a' == 'A'", false), ("null == null", true),
            ("true == true", true), ("true == false", false),
            ("steps.scale-up.outputs.count == 3", true), ("3 == steps.scale-up.outputs.count", true),
            ("'3.0' == 3", true), ("' 3 ' == 3", true), ("'0x10' == 16", true), ("'abc' == 0", false),
            ("'' == 0", false),
            ("true == 1", true), ("false == 0", true), ("'1' == true", true), ("'true' == true", false),
            ("null == 0", false), ("null == ''", false), ("null == false", false), ("inputs.missing == null", true),
            ("'3' == '3.0'", false), ("inputs.names == fromJSON('[\"a\",\"b\",\"c\"]')", true),
            ("inputs.names == fromJSON('[\"a\"]')", false), ("fromJSON('{\"a\":1}') == fromJSON('{\"a\":1}')", true),
            ("inputs.names == 'a'", false), ("fromJSON('[]') == 0", false), ("fromJSON('{}') == null", false),
            ("1 != 2", true), ("'a' != 'a'", false), ("null != 0", true), ("'3' != 3", false),
            ("steps.health.outcome == 'failure'", true), ("inputs.ratio == 0.5", true), ("'e\u{301}' == 'é'", false),
        ] as [(String, Bool)])
    func equality(source: String, expected: Bool) throws {
        #expect(try evaluateExpression(source) == .bool(expected))
    }

    @Test(
        "ordering across types",
        arguments: [
            ("1 < 2", true), ("2 < 1", false), ("1 <= 1", true), ("2 > 1", true), ("1 >= 2", false), ("1 >= 1", true),
            ("steps.scale-up.outputs.count > 0", true), ("steps.scale-up.outputs.count < 10", true),
            ("steps.scale-up.outputs.count >= 3", true), ("steps.scale-up.outputs.zero > 0", false),
            ("'10' < '9'", true), ("'a' < 'b'", true), ("'B' < 'a'", true), ("'a' < 'B'", false),
            ("'abc' >= 'abc'", true),
            ("'ab' < 'abc'", true), ("'é' > 'z'", true),
            ("true > false", true), ("true >= 1", true), ("'abc' < 1", false), ("'abc' > 1", false),
            ("null < 1", false), ("null > -1", false), ("null <= null", false), ("inputs.missing > 0", false),
            ("inputs.names > 0", false), ("inputs.names < 0", false), ("fromJSON('{}') >= fromJSON('{}')", false),
            ("inputs.ratio < 1", true), ("-1 < 0", true), ("1e3 > 999", true),
        ] as [(String, Bool)])
    func ordering(source: String, expected: Bool) throws {
        #expect(try evaluateExpression(source) == .bool(expected))
    }

    @Test("NaN never compares or counts as true")
    func nan() throws {
        let contexts: [String: Value] = ["x": .number(.nan)]
        #expect(try evaluateExpression("x == x", contexts) == false)
        #expect(try evaluateExpression("x != x", contexts) == true)
        #expect(try evaluateExpression("x < 1 || x > 1 || x <= 1 || x >= 1", contexts) == false)
        #expect(try evaluateExpression("!x", contexts) == true)
    }

    @Test("precedence is honoured when evaluating")
    func precedenceEvaluation() throws {
        #expect(try evaluateExpression("false && false || true") == true)
        #expect(try evaluateExpression("false && (false || true)") == false)
        #expect(try evaluateExpression("1 < 2 == true") == true)
        #expect(try evaluateExpression("!inputs.flag == false") == true)
        #expect(try evaluateExpression("inputs.count > 2 && inputs.service == 'api' || false") == true)
    }

    @Test("contains")
    func contains() throws {
        #expect(try evaluateExpression("contains('hello world', 'o w')") == true)
        #expect(try evaluateExpression("contains('hello', 'H')") == false)
        #expect(try evaluateExpression("contains('hello', '')") == true)
        #expect(try evaluateExpression("contains(inputs.names, 'b')") == true)
        #expect(try evaluateExpression("contains(inputs.names, 'B')") == false)
        #expect(try evaluateExpression("contains(inputs.list, 1)") == true)
        #expect(try evaluateExpression("contains(inputs.list, '1')") == true)
        #expect(try evaluateExpression("contains(inputs.list, null)") == true)
        #expect(try evaluateExpression("contains(inputs.names, 'z')") == false)
        #expect(try evaluateExpression("contains(123, 2)") == true)
        #expect(try evaluateExpression("contains(null, 'x')") == false)
        #expect(try evaluateExpression("contains(inputs, 'service')") == false)
        #expect(try evaluateExpression("contains(steps.scale-up.outputs.json, '\"b\":true')") == true)
    }

    @Test("startsWith and endsWith")
    func prefixes() throws {
        #expect(try evaluateExpression("startsWith(inputs.cluster, 'propflow')") == true)
        #expect(try evaluateExpression("startsWith(inputs.cluster, 'Propflow')") == false)
        #expect(try evaluateExpression("endsWith(inputs.cluster, '-cluster')") == true)
        #expect(try evaluateExpression("endsWith(inputs.cluster, 'x')") == false)
        #expect(try evaluateExpression("startsWith(42, 4)") == true)
        #expect(try evaluateExpression("endsWith(null, '')") == true)
    }

    @Test("format")
    func format() throws {
        #expect(try evaluateExpression("format('{0} of {1}', 1, inputs.count)") == "1 of 3")
        #expect(try evaluateExpression("format('{1}{0}{1}', 'a', 'b')") == "bab")
        #expect(try evaluateExpression("format('{{x}} {0}', inputs.service)") == "{x} api")
        #expect(try evaluateExpression("format('}}{{')") == "}{")
        #expect(try evaluateExpression("format('{0}', inputs.names)") == #"["a","b","c"]"#)
        #expect(try evaluateExpression("format('{0}|{1}|{2}', null, true, 0.5)") == "|true|0.5")
        #expect(try evaluateExpression("format('{10}', 0,1,2,3,4,5,6,7,8,9,'ten')") == "ten")
        #expect(try evaluateExpression("format('é{0}😀', 'x')") == "éx😀")
    }

    @Test(
        "format errors with a pattern known only at run time",
        arguments: [
            (
                "{1}",
                "format string refers to argument {1}, but only 1 argument follows it (they are numbered from {0})"
            ),
            (
                "{0",
                "format string has an invalid placeholder at character 0; write {0}, {1}, … for arguments and '{{' "
                    + "for a literal brace"
            ),
            (
                "{}",
                "format string has an invalid placeholder at character 0; write {0}, {1}, … for arguments and '{{' "
                    + "for a literal brace"
            ),
            (
                "a{-1}",
                "format string has an invalid placeholder at character 1; write {0}, {1}, … for arguments and '{{' "
                    + "for a literal brace"
            ),
            ("x}", "format string has an unmatched '}' at character 1; write '}}' for a literal brace"),
            (
                "{99999999999999999999}",
                "format string refers to argument {99999999999999999999}, but only 1 argument follows it (they are "
                    + "numbered from {0})"
            ),
        ] as [(String, String)])
    func formatErrors(pattern: String, message: String) {
        let contexts: [String: Value] = ["p": .string(pattern)]
        #expect(
            expressionEvaluationError("x || format(p, 'a')", contexts) == ExpressionError(offset: 5, message: message))
    }

    @Test("join")
    func join() throws {
        #expect(try evaluateExpression("join(inputs.names)") == "a,b,c")
        #expect(try evaluateExpression("join(inputs.names, ' | ')") == "a | b | c")
        #expect(try evaluateExpression("join(inputs.list, '')") == "1twotrue")
        #expect(try evaluateExpression("join(fromJSON('[]'), '-')") == "")
        #expect(try evaluateExpression("join('abc', '-')") == "abc")
        #expect(try evaluateExpression("join(null)") == "")
        #expect(try evaluateExpression("join(inputs.names, null)") == "abc")
    }

    @Test("length")
    func length() throws {
        #expect(try evaluateExpression("length(inputs.service)") == 3)
        #expect(try evaluateExpression("length('é😀')") == 2)
        #expect(try evaluateExpression("length('')") == 0)
        #expect(try evaluateExpression("length(inputs.names)") == 3)
        #expect(try evaluateExpression("length(inputs)") == 9)
        #expect(try evaluateExpression("length(null)") == 0)
        #expect(try evaluateExpression("length(12345)") == 5)
        #expect(try evaluateExpression("length(true)") == 4)
    }

    @Test("toJSON and fromJSON")
    func json() throws {
        #expect(try evaluateExpression("toJSON(inputs.names)") == "[\n  \"a\",\n  \"b\",\n  \"c\"\n]")
        #expect(
            try evaluateExpression("toJSON(steps.health)") == """
                {
                  "conclusion": "success",
                  "outcome": "failure",
                  "outputs": {}
                }
                """)
        #expect(try evaluateExpression("toJSON('x')") == "\"x\"")
        #expect(try evaluateExpression("toJSON(null)") == "null")
        #expect(try evaluateExpression("fromJSON('true')") == true)
        #expect(try evaluateExpression("fromJSON('3')") == 3)
        #expect(try evaluateExpression("fromJSON('{\"a\": [1, false]}')") == ["a": [1, false]])
        #expect(try evaluateExpression("fromJSON(toJSON(inputs)) == inputs") == true)
        #expect(try evaluateExpression("fromJSON(steps.scale-up.outputs.json).b") == true)
    }

    @Test("fromJSON with text that is not JSON is an error at the call")
    func fromJSONError() {
        let error = expressionEvaluationError("inputs.flag && fromJSON('{nope')")
        #expect(error?.offset == 15)
        #expect(error?.message.hasPrefix("fromJSON could not read its argument as JSON (") == true)
        #expect(expressionEvaluationError("fromJSON(inputs.empty)")?.offset == 0)
    }

    @Test(
        "status functions read the step status",
        arguments: [
            (StepStatus(), [true, false, true, false]),
            (StepStatus(upstreamFailed: true), [false, true, true, false]),
            (StepStatus(cancelled: true), [false, false, true, true]),
            (StepStatus(upstreamFailed: true, cancelled: true), [false, true, true, true]),
        ])
    func statusFunctions(status: StepStatus, expected: [Bool]) throws {
        let results = try ["success()", "failure()", "always()", "cancelled()"].map { source in
            try evaluateExpression(source, status: status)
        }
        #expect(results == expected.map(Value.bool))
    }

    @Test("unknown roots and an empty context evaluate to null")
    func emptyContext() throws {
        #expect(try Expression(parsing: "inputs.x || steps").evaluate(in: EvaluationContext()) == .null)
    }
}
