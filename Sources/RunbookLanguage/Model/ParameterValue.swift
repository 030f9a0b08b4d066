/// A value written in a runbook where expressions are allowed: literal data, or strings holding `${{ }}`.
public indirect enum ParameterValue: Sendable, Hashable {
    /// A value with no expression in it.
    case literal(Value, SourceLocation)
    /// A string holding at least one expression.
    case template(TemplateValue)
    /// A list whose items may hold expressions.
    case list([ParameterValue], SourceLocation)
    /// A mapping whose values may hold expressions.
    case map([String: ParameterValue], SourceLocation)

    /// Where the value is written.
    public var location: SourceLocation {
        switch self {
        case .literal(_, let location), .list(_, let location), .map(_, let location): location
        case .template(let template): template.site.start
        }
    }

    /// Every template inside the value.
    public var templates: [TemplateValue] {
        switch self {
        case .literal: []
        case .template(let template): [template]
        case .list(let items, _): items.flatMap(\.templates)
        case .map(let entries, _): entries.values.flatMap(\.templates)
        }
    }

    /// The value with every expression evaluated in `context`.
    public func resolve(in context: EvaluationContext) throws(ExpressionError) -> Value {
        switch self {
        case .literal(let value, _): return value
        case .template(let template): return try template.template.render(in: context)
        case .list(let items, _):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.resolve(in: context)) }
            return .array(values)
        case .map(let entries, _):
            var values: [String: Value] = [:]
            for (key, entry) in entries { values[key] = try entry.resolve(in: context) }
            return .object(values)
        }
    }

    /// The value as written in the runbook, expressions unevaluated: for plans and dry runs.
    public var writtenText: String {
        switch self {
        case .template(let template): template.site.content
        case .literal(let value, _): value.stringValue
        case .list(let items, _): "[" + items.map(\.writtenText).joined(separator: ", ") + "]"
        case .map(let entries, _):
            "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.writtenText)" }
                .joined(separator: ", ") + "}"
        }
    }

    /// The literal value when there is no expression anywhere inside, else nil.
    public var literalValue: Value? {
        switch self {
        case .literal(let value, _): return value
        case .template: return nil
        case .list(let items, _):
            var values: [Value] = []
            for item in items {
                guard let value = item.literalValue else { return nil }
                values.append(value)
            }
            return .array(values)
        case .map(let entries, _):
            var values: [String: Value] = [:]
            for (key, entry) in entries {
                guard let value = entry.literalValue else { return nil }
                values[key] = value
            }
            return .object(values)
        }
    }
}

/// A template string together with where it is written, so diagnostics can point inside it.
public struct TemplateValue: Sendable, Hashable {
    /// The parsed string.
    public var template: Template
    /// The YAML scalar it came from.
    public var site: ScalarSite
}
