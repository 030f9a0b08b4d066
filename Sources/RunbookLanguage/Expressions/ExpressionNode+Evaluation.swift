extension ExpressionNode {
    /// Evaluates the tree; missing contexts, properties and indexes are `null`.
    /// - Throws: `ExpressionError` from `format()` with a bad pattern or `fromJSON()` with bad JSON.
    func evaluate(in context: EvaluationContext) throws(ExpressionError) -> Value {
        switch self {
        case .literal(let value):
            return value
        case .context(let name, _):
            return context.contexts[name] ?? .null
        case .member(let base, let name):
            return try base.evaluate(in: context).member(name)
        case .index(let base, let index):
            let container = try base.evaluate(in: context)
            return container.element(try index.evaluate(in: context))
        case .not(let operand):
            return .bool(!(try operand.evaluate(in: context).isTruthy))
        case .binary(.or, let left, let right):
            let first = try left.evaluate(in: context)
            return first.isTruthy ? first : try right.evaluate(in: context)
        case .binary(.and, let left, let right):
            let first = try left.evaluate(in: context)
            return first.isTruthy ? try right.evaluate(in: context) : first
        case .binary(let op, let left, let right):
            let first = try left.evaluate(in: context)
            return .bool(op.compare(first, try right.evaluate(in: context)))
        case .call(let function, let arguments, let offset):
            return try function.evaluate(arguments, at: offset, in: context)
        }
    }
}
