/// A bare expression (`if:`, `retry.until`) together with where it is written.
public struct ConditionValue: Sendable, Hashable {
    /// The parsed expression.
    public var expression: Expression
    /// The YAML scalar it came from.
    public var site: ScalarSite
}
