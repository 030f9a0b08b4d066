@testable import RunbookLanguage

/// Contexts shaped like a real run, shared by the evaluation tests.
let expressionSampleContexts: [String: Value] = [
    "inputs": [
        "service": "api",
        "cluster": "propflow-cluster",
        "count": 3,
        "ratio": 0.5,
        "flag": true,
        "off": false,
        "empty": "",
        "list": [1, "two", true, .null],
        "names": ["a", "b", "c"],
    ],
    "steps": [
        "scale-up": [
            "outputs": ["count": "3", "b-c": "dashed", "json": "{\"a\":[1,2],\"b\":true}", "zero": "0"],
            "outcome": "success",
        ],
        "health": ["outcome": "failure", "conclusion": "success", "outputs": [:]],
        "1-restart": ["outcome": "skipped"],
    ],
    "incident": ["id": "INC-42", "severity": "SEV2"],
    "env": ["REGION": "eu-west-1"],
    "alert": .null,
]

/// Parses and evaluates `source` against `contexts`.
func evaluateExpression(
    _ source: String, _ contexts: [String: Value] = expressionSampleContexts, status: StepStatus = .init()
) throws(ExpressionError) -> Value {
    try Expression(parsing: source).evaluate(in: EvaluationContext(contexts: contexts, status: status))
}

/// The error parsing `source` throws, or `nil` when it parses.
func expressionParseError(_ source: String, offset: Int = 0) -> ExpressionError? {
    do {
        _ = try Expression(parsing: source, offset: offset)
        return nil
    } catch {
        return error
    }
}

/// The error evaluating `source` throws, or `nil` when it evaluates (or fails to parse).
func expressionEvaluationError(_ source: String, _ contexts: [String: Value] = expressionSampleContexts)
    -> ExpressionError?
{
    guard let expression = try? Expression(parsing: source) else { return nil }
    do {
        _ = try expression.evaluate(in: EvaluationContext(contexts: contexts))
        return nil
    } catch {
        return error
    }
}

/// The tree `source` parses to; fails the test when it does not parse.
func parsedTree(_ source: String) throws -> ExpressionNode {
    try Expression(parsing: source).root
}

/// Shorthand for a context root node in expected trees.
func contextNode(_ name: String) -> ExpressionNode {
    .context(name, offset: 0)
}
