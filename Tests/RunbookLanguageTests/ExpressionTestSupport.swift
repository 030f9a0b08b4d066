@testable import RunbookLanguage

/// A tiny deterministic random number generator (SplitMix64) so property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Contexts shaped like a real run, shared by the evaluation tests.
let sampleContexts: [String: Value] = [
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
func evaluate(
    _ source: String, _ contexts: [String: Value] = sampleContexts, status: StepStatus = .init()
) throws(ExpressionError) -> Value {
    try Expression(parsing: source).evaluate(in: EvaluationContext(contexts: contexts, status: status))
}

/// The error parsing `source` throws, or `nil` when it parses.
func parseError(_ source: String, offset: Int = 0) -> ExpressionError? {
    do {
        _ = try Expression(parsing: source, offset: offset)
        return nil
    } catch {
        return error
    }
}

/// The error evaluating `source` throws, or `nil` when it evaluates (or fails to parse).
func evaluationError(_ source: String, _ contexts: [String: Value] = sampleContexts) -> ExpressionError? {
    guard let expression = try? Expression(parsing: source) else { return nil }
    do {
        _ = try expression.evaluate(in: EvaluationContext(contexts: contexts))
        return nil
    } catch {
        return error
    }
}

/// The tree `source` parses to; fails the test when it does not parse.
func tree(_ source: String) throws -> ExpressionNode {
    try Expression(parsing: source).root
}

/// Shorthand for a context root node in expected trees.
func ctx(_ name: String) -> ExpressionNode {
    .context(name, offset: 0)
}
