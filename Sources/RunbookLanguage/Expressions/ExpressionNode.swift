/// A node of a parsed expression's syntax tree.
///
/// Equality and hashing ignore source offsets, so the tree parsed from an expression's
/// `description` equals the original tree.
public indirect enum ExpressionNode: Sendable {
    /// A literal: `null`, `true`, `false`, a number or a string.
    case literal(Value)
    /// A root context such as `inputs` or `steps`, at the offset of its name.
    case context(String, offset: Int)
    /// Property access with a dot: `base.name`.
    case member(ExpressionNode, name: String)
    /// Index access with brackets: `base[index]`, e.g. `a['b-c']` or `a[0]`.
    case index(ExpressionNode, ExpressionNode)
    /// Logical negation: `!operand`, always a boolean.
    case not(ExpressionNode)
    /// A binary operation: `left op right`.
    case binary(ExpressionOperator, ExpressionNode, ExpressionNode)
    /// A function call, at the offset of the function's name.
    case call(ExpressionFunction, arguments: [ExpressionNode], offset: Int)
}

extension ExpressionNode: Hashable {
    /// Whether two trees have the same shape and contents, whatever their source offsets.
    public static func == (left: ExpressionNode, right: ExpressionNode) -> Bool {
        switch (left, right) {
        case (.literal(let a), .literal(let b)):
            return a == b
        case (.context(let a, _), .context(let b, _)):
            return a == b
        case (.member(let baseA, let nameA), .member(let baseB, let nameB)):
            return nameA == nameB && baseA == baseB
        case (.index(let baseA, let indexA), .index(let baseB, let indexB)):
            return baseA == baseB && indexA == indexB
        case (.not(let a), .not(let b)):
            return a == b
        case (.binary(let opA, let leftA, let rightA), .binary(let opB, let leftB, let rightB)):
            return opA == opB && leftA == leftB && rightA == rightB
        case (.call(let functionA, let argumentsA, _), .call(let functionB, let argumentsB, _)):
            return functionA == functionB && argumentsA == argumentsB
        default:
            return false
        }
    }

    /// Hashes the tree's shape and contents, not its source offsets.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .literal(let value):
            hasher.combine(0)
            hasher.combine(value)
        case .context(let name, _):
            hasher.combine(1)
            hasher.combine(name)
        case .member(let base, let name):
            hasher.combine(2)
            hasher.combine(base)
            hasher.combine(name)
        case .index(let base, let index):
            hasher.combine(3)
            hasher.combine(base)
            hasher.combine(index)
        case .not(let operand):
            hasher.combine(4)
            hasher.combine(operand)
        case .binary(let op, let left, let right):
            hasher.combine(5)
            hasher.combine(op)
            hasher.combine(left)
            hasher.combine(right)
        case .call(let function, let arguments, _):
            hasher.combine(6)
            hasher.combine(function)
            hasher.combine(arguments)
        }
    }
}
