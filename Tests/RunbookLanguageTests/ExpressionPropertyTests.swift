import Testing

@testable import RunbookLanguage

@Suite("Expression properties")
struct ExpressionPropertyTests {
    @Test("random trees print via description and parse back to an equal tree")
    func roundTrip() throws {
        var generator = TreeGenerator(random: SplitMix64(seed: 0x5EED_0001))
        let context = EvaluationContext(contexts: expressionSampleContexts, status: StepStatus(upstreamFailed: true))
        for iteration in 0..<3_000 {
            let original = generator.node(depth: 0)
            let text = original.description
            let parsed: Expression
            do {
                parsed = try Expression(parsing: text)
            } catch {
                Issue.record("iteration \(iteration): \(text) did not parse: \(error)")
                return
            }
            guard parsed.root == original, parsed.description == text else {
                Issue.record("iteration \(iteration): \(text) parsed back as \(parsed.root)")
                return
            }
            _ = try? parsed.evaluate(in: context)
        }
    }

    @Test("operator chains without parentheses group by precedence, left to right")
    func precedenceChains() throws {
        var random = SplitMix64(seed: 0x5EED_0002)
        let atoms: [ExpressionNode] = [
            .context("a", offset: 0), .member(.context("steps", offset: 0), name: "x"), .literal(1), .literal("s"),
            .literal(-2.5), .not(.context("b", offset: 0)), .call(.success, arguments: [], offset: 0), .literal(.null),
        ]
        for iteration in 0..<2_000 {
            let count = Int.random(in: 2...9, using: &random)
            let operands = (0..<count).map { _ in atoms[Int.random(in: 0..<atoms.count, using: &random)] }
            let operators = (1..<count).map { _ in
                ExpressionOperator.allCases[Int.random(in: 0..<ExpressionOperator.allCases.count, using: &random)]
            }
            var text = operands[0].description
            for (op, operand) in zip(operators, operands.dropFirst()) {
                text += " \(op.symbol) \(operand.description)"
            }
            let expected = Self.groupByPrecedence(operands, operators)
            let parsed = try Expression(parsing: text)
            guard parsed.root == expected, parsed.description == text else {
                Issue.record("iteration \(iteration): \(text) parsed as \(parsed.root), expected \(expected)")
                return
            }
        }
    }

    @Test("10,000 random strings never crash the parser or evaluator; errors stay in bounds")
    func fuzz() {
        var random = SplitMix64(seed: 0x5EED_0003)
        let pieces = [
            "a", "inputs", "steps.a-b", ".", "[", "]", "(", ")", ",", "!", "==", "!=", "<", "<=", ">", ">=", "&&", "||",
            "'", "''", "'x'", "'{0}'", "0", "1.5", "-", "-1", "0x", "0x1F", "1e", "1e5", "true", "null", "false",
            "contains", "format", "fromJSON", "toJSON", "join", "length", "success", "startsWith", "$", "${{", "}}",
            "{",
            "}", " ", "\n", "\t", "é", "😀", "\"", "=", "&", "|", "{0}", "{{", "\u{0}", "\u{7F}", "\u{301}",
        ]
        let context = EvaluationContext(contexts: expressionSampleContexts)
        for iteration in 0..<10_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...30, using: &random) {
                if Int.random(in: 0..<8, using: &random) == 0 {
                    let bytes = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                        UInt8.random(in: 0...255, using: &random)
                    }
                    text += String(decoding: bytes, as: UTF8.self)
                } else {
                    text += pieces[Int.random(in: 0..<pieces.count, using: &random)]
                }
            }
            let bound = text.unicodeScalars.count
            func check(_ error: ExpressionError, _ what: String) -> Bool {
                guard (0...bound).contains(error.offset), !error.message.isEmpty else {
                    Issue.record("iteration \(iteration): \(what) of \(text.debugDescription) gave \(error)")
                    return false
                }
                return true
            }
            do {
                let expression = try Expression(parsing: text)
                do {
                    _ = try expression.evaluate(in: context)
                } catch {
                    guard check(error, "evaluating") else { return }
                }
                guard (try? Expression(parsing: expression.description))?.root == expression.root else {
                    Issue.record("iteration \(iteration): \(text.debugDescription) did not round-trip")
                    return
                }
            } catch {
                guard check(error, "parsing") else { return }
            }
            do {
                _ = try Template(parsing: text).render(in: context)
            } catch {
                guard check(error, "template") else { return }
            }
            do {
                _ = try Condition.parse(text).evaluate(in: context)
            } catch {
                guard check(error, "condition") else { return }
            }
        }
    }

    @Test("hostile shapes fail cleanly")
    func hostileShapes() {
        let shapes = [
            String(repeating: "[", count: 50_000), String(repeating: "a[", count: 50_000),
            String(repeating: "'", count: 50_001),
            String(repeating: "${{", count: 10_000), "${{ " + String(repeating: "(", count: 10_000) + " }}",
            String(repeating: "-", count: 10_000), String(repeating: "9", count: 400),
            "0x" + String(repeating: "F", count: 400),
            "format('" + String(repeating: "{0}", count: 10_000) + "', 1)",
        ]
        for shape in shapes {
            if let expression = try? Expression(parsing: shape) {
                _ = try? expression.evaluate(in: EvaluationContext())
            }
            _ = try? Template(parsing: shape)
            _ = try? Condition.parse(shape)
        }
        #expect(
            expressionParseError(String(repeating: "9", count: 400))?.message.hasSuffix("is too large to be a number")
                == true)
    }

    /// The tree a flat operator chain should parse to, built by shunting-yard with left associativity.
    private static func groupByPrecedence(
        _ operands: [ExpressionNode], _ operators: [ExpressionOperator]
    ) -> ExpressionNode {
        var output = [operands[0]]
        var pending: [ExpressionOperator] = []
        func reduce() {
            let right = output.removeLast()
            let left = output.removeLast()
            output.append(.binary(pending.removeLast(), left, right))
        }
        for (op, operand) in zip(operators, operands.dropFirst()) {
            while let top = pending.last, top.precedence >= op.precedence { reduce() }
            pending.append(op)
            output.append(operand)
        }
        while !pending.isEmpty { reduce() }
        return output[0]
    }
}

extension ExpressionPropertyTests {
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

    /// Builds random expression trees from a seeded generator.
    struct TreeGenerator {
        var random: SplitMix64

        private static let roots = ["inputs", "steps", "env", "alert", "a", "b_1", "x-y", "_z", "contains", "success"]
        private static let properties = [
            "b", "scale-up", "1-restart", "true", "null", "outputs", "x_1", "0", "9lives", "a-",
        ]
        private static let strings = [
            "", "it's", "''", "}}", "${{ x }}", "{0}", "é😀", "\n\t", "a\\b", "x y", "'", "\"",
        ]

        mutating func node(depth: Int) -> ExpressionNode {
            let leafOnly = depth >= 5 || Int.random(in: 0..<10, using: &random) < depth * 2
            if leafOnly { return leaf() }
            switch Int.random(in: 0..<6, using: &random) {
            case 0:
                return .member(node(depth: depth + 1), name: pick(Self.properties))
            case 1:
                return .index(node(depth: depth + 1), node(depth: depth + 1))
            case 2:
                return .not(node(depth: depth + 1))
            case 3, 4:
                return .binary(pick(ExpressionOperator.allCases), node(depth: depth + 1), node(depth: depth + 1))
            default:
                return call(depth: depth)
            }
        }

        mutating func leaf() -> ExpressionNode {
            switch Int.random(in: 0..<7, using: &random) {
            case 0: return .literal(.null)
            case 1: return .literal(.bool(Bool.random(using: &random)))
            case 2: return .literal(.number(number()))
            case 3: return .literal(.string(pick(Self.strings)))
            default: return .context(pick(Self.roots), offset: 0)
            }
        }

        mutating func number() -> Double {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: return Double(Int.random(in: -1_000_000...1_000_000, using: &random))
            case 1: return Double(Int.random(in: -1_000...1_000, using: &random)) / 8
            case 2:
                return pick([
                    0, -0.0, 1e20, 1e-7, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 123_456_789_012_345_680, 0.1,
                ])
            default:
                while true {
                    let candidate = Double(bitPattern: random.next())
                    if candidate.isFinite { return candidate }
                }
            }
        }

        mutating func call(depth: Int) -> ExpressionNode {
            let function = pick(ExpressionFunction.allCases)
            let upper = min(function.arity.upperBound, function.arity.lowerBound + 3)
            let count = Int.random(in: function.arity.lowerBound...upper, using: &random)
            var arguments = (0..<count).map { _ in node(depth: depth + 1) }
            if function == .format, case .literal(.string) = arguments[0] {
                arguments[0] = .literal(.string(count > 1 ? "v{{{0}}}" : "v{{}}"))
            }
            return .call(function, arguments: arguments, offset: 0)
        }

        mutating func pick<T>(_ choices: [T]) -> T {
            choices[Int.random(in: 0..<choices.count, using: &random)]
        }
    }
}
