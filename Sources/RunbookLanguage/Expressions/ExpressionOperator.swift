/// A binary operator of the expression language.
public enum ExpressionOperator: String, Sendable, Hashable, CaseIterable {
    /// `||`: the left operand when it is truthy, else the right one.
    case or = "||"
    /// `&&`: the left operand when it is falsy, else the right one.
    case and = "&&"
    /// `==`
    case equal = "=="
    /// `!=`
    case notEqual = "!="
    /// `<`
    case less = "<"
    /// `<=`
    case lessOrEqual = "<="
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterOrEqual = ">="

    /// The operator as written, e.g. `&&`.
    public var symbol: String { rawValue }

    /// How tightly the operator binds: `||` 0, `&&` 1, `==`/`!=` 2, `<`/`<=`/`>`/`>=` 3.
    public var precedence: Int {
        switch self {
        case .or: 0
        case .and: 1
        case .equal, .notEqual: 2
        case .less, .lessOrEqual, .greater, .greaterOrEqual: 3
        }
    }

    /// The tightest binary precedence; `!` and access bind tighter still.
    static let tightestPrecedence = 3

    /// The operator a token stands for, if it is one.
    init?(token: ExpressionToken.Kind) {
        switch token {
        case .or: self = .or
        case .and: self = .and
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        case .less: self = .less
        case .lessOrEqual: self = .lessOrEqual
        case .greater: self = .greater
        case .greaterOrEqual: self = .greaterOrEqual
        default: return nil
        }
    }

    /// Applies a comparison operator to two evaluated operands; `||` and `&&` are evaluated by the
    /// caller because they short-circuit.
    func compare(_ left: Value, _ right: Value) -> Bool {
        switch self {
        case .equal: left.looselyEquals(right)
        case .notEqual: !left.looselyEquals(right)
        case .less: left.ordering(comparedTo: right) == .less
        case .lessOrEqual: left.ordering(comparedTo: right).map { $0 != .greater } ?? false
        case .greater: left.ordering(comparedTo: right) == .greater
        case .greaterOrEqual: left.ordering(comparedTo: right).map { $0 != .less } ?? false
        case .or: left.isTruthy || right.isTruthy
        case .and: left.isTruthy && right.isTruthy
        }
    }
}
