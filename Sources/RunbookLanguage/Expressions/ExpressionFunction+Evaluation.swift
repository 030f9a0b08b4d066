extension ExpressionFunction {
    /// Calls the function with the given argument trees, evaluating them first (the status
    /// functions read only `context.status`).
    /// - Parameter offset: Where the call's name is, for errors.
    /// - Throws: `ExpressionError` when `format()`'s pattern is invalid or `fromJSON()`'s text is not
    ///   JSON.
    func evaluate(
        _ arguments: [ExpressionNode], at offset: Int, in context: EvaluationContext
    ) throws(ExpressionError) -> Value {
        switch self {
        case .success: return .bool(context.status.isSuccess)
        case .failure: return .bool(context.status.upstreamFailed)
        case .always: return .bool(true)
        case .cancelled: return .bool(context.status.cancelled)
        default: break
        }
        var values: [Value] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments {
            values.append(try argument.evaluate(in: context))
        }
        return try apply(to: values, at: offset)
    }

    /// Applies a non-status function to evaluated arguments whose count `arity` allows.
    private func apply(to values: [Value], at offset: Int) throws(ExpressionError) -> Value {
        let first = values.first ?? .null
        let second = values.count > 1 ? values[1] : Value.null
        switch self {
        case .contains:
            switch first {
            case .array(let elements): return .bool(elements.contains { $0.looselyEquals(second) })
            case .object: return .bool(false)
            case .null, .bool, .number, .string: return .bool(first.stringValue.contains(second.stringValue))
            }
        case .startsWith:
            return .bool(first.stringValue.hasPrefix(second.stringValue))
        case .endsWith:
            return .bool(first.stringValue.hasSuffix(second.stringValue))
        case .format:
            switch FormatString.render(first.stringValue, arguments: Array(values.dropFirst())) {
            case .success(let text): return .string(text)
            case .failure(let problem): throw ExpressionError(offset: offset, message: problem.message)
            }
        case .join:
            guard case .array(let elements) = first else { return .string(first.stringValue) }
            let separator = values.count > 1 ? second.stringValue : ","
            return .string(elements.map(\.stringValue).joined(separator: separator))
        case .length:
            switch first {
            case .null: return .number(0)
            case .array(let elements): return .number(Double(elements.count))
            case .object(let members): return .number(Double(members.count))
            case .bool, .number, .string: return .number(Double(first.stringValue.count))
            }
        case .toJSON:
            return .string(first.jsonString(pretty: true))
        case .fromJSON:
            do {
                return try Value(jsonString: first.stringValue)
            } catch {
                throw ExpressionError(
                    offset: offset,
                    message: "fromJSON could not read its argument as JSON (\(Value.summary(ofJSONError: error)))")
            }
        case .success, .failure, .always, .cancelled:
            return .null
        }
    }
}
