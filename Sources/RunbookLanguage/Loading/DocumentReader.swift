import Yams

/// Reads typed values out of a composed YAML document, collecting a diagnostic for every problem.
///
/// Each accessor returns nil after recording why, so a loader can carry on and report all problems at once.
struct DocumentReader {
    /// The file's path as the user named it.
    let file: String
    /// The file's text.
    let source: SourceText
    /// The problems found so far.
    var diagnostics: [Diagnostic] = []
    /// Nodes converted so far; bounds the work an alias bomb can cause.
    private var nodeBudget = 200_000
    /// Deepest nesting converted into values.
    static let maximumDepth = 64

    init(file: String, source: SourceText) {
        self.file = file
        self.source = source
    }

    /// The position of `node`.
    func location(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: file, line: 1, column: 1) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    /// Records a problem.
    mutating func error(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(location, message, hint: hint))
    }

    /// The entries of a mapping, merge keys (`<<: *defaults`) applied; nil (with a diagnostic) for other nodes.
    mutating func mapping(_ node: Node, _ what: @autoclosure () -> String) -> [YAMLEntry]? {
        guard case .mapping(let mapping) = node else {
            error(location(node), "\(what()) must be a mapping, not \(describe(node))")
            return nil
        }
        var entries: [YAMLEntry] = []
        entries.reserveCapacity(mapping.count)
        var merged: [YAMLEntry] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error(location(key), "a key in \(what()) must be a plain name, not \(describe(key))")
                continue
            }
            if scalar.string == "<<", scalar.style == .plain || scalar.style == .any {
                merged += mergeSources(value, what())
                continue
            }
            let entry = YAMLEntry(key: scalar.string, keyLocation: location(key), value: value)
            if let first = entries.first(where: { $0.key == entry.key }) {
                error(entry.keyLocation, "duplicate key '\(entry.key)' in \(what()); the first is at line "
                      + "\(first.keyLocation.line)", hint: "each key may appear once; remove one of them")
                continue
            }
            entries.append(entry)
        }
        guard !merged.isEmpty else { return entries }
        let written = Set(entries.map(\.key))
        return entries + merged.filter { !written.contains($0.key) }
    }

    private mutating func mergeSources(_ node: Node, _ what: @autoclosure () -> String) -> [YAMLEntry] {
        switch node {
        case .mapping:
            return mapping(node, what()) ?? []
        case .sequence(let sequence):
            var entries: [YAMLEntry] = []
            for item in sequence {
                for entry in mapping(item, "a merge source in \(what())") ?? [] where !entries.contains(where: {
                    $0.key == entry.key
                }) {
                    entries.append(entry)
                }
            }
            return entries
        default:
            error(location(node), "'<<' in \(what()) must name a mapping (an alias like *defaults)")
            return []
        }
    }

    /// Reports every key that is not in `allowed`, with the closest allowed key suggested.
    mutating func checkKeys(_ entries: [YAMLEntry], allowed: [String], in what: @autoclosure () -> String) {
        for entry in entries where !allowed.contains(entry.key) {
            error(
                entry.keyLocation, "unknown key '\(entry.key)' in \(what())"
                    + NearestName.didYouMean(entry.key, among: allowed),
                hint: "the keys of \(what()) are " + allowed.joined(separator: ", "))
        }
    }

    /// The value of a scalar as text (`title: 42` is the text "42"); nil for mappings and lists.
    mutating func text(_ node: Node, _ what: @autoclosure () -> String) -> String? {
        guard case .scalar(let scalar) = node, !isNull(scalar) else {
            error(location(node), "\(what()) must be a string, not \(describe(node))")
            return nil
        }
        return scalar.string
    }

    /// A `true`/`false` scalar.
    mutating func bool(_ node: Node, _ what: @autoclosure () -> String) -> Bool? {
        if case .bool(let flag) = scalarValue(node) { return flag }
        error(location(node), "\(what()) must be true or false, not \(describe(node))")
        return nil
    }

    /// An integer scalar no smaller than `minimum`.
    mutating func int(_ node: Node, _ what: @autoclosure () -> String, minimum: Int) -> Int? {
        if case .number(let number) = scalarValue(node), number.rounded() == number, abs(number) < 1e15 {
            let value = Int(number)
            if value >= minimum { return value }
            error(location(node), "\(what()) must be at least \(minimum), not \(value)")
            return nil
        }
        error(location(node), "\(what()) must be an integer, not \(describe(node))")
        return nil
    }

    /// A duration such as `90s` or `1h30m`.
    mutating func duration(_ node: Node, _ what: @autoclosure () -> String) -> Duration? {
        guard let text = text(node, what()) else { return nil }
        switch DurationSyntax.parse(text) {
        case .success(let duration): return duration
        case .failure(let problem):
            error(location(node), "\(what()): \(problem)")
            return nil
        }
    }

    /// A list of strings; a single string is taken as a one-item list.
    mutating func stringList(_ node: Node, _ what: @autoclosure () -> String) -> [Located<String>]? {
        switch node {
        case .scalar:
            return text(node, what()).map { [Located($0, at: location(node))] }
        case .sequence(let sequence):
            var items: [Located<String>] = []
            for item in sequence {
                if let text = text(item, "each item of \(what())") { items.append(Located(text, at: location(item))) }
            }
            return items
        default:
            error(location(node), "\(what()) must be a list of strings, not \(describe(node))")
            return nil
        }
    }

    /// A mapping of names to plain strings.
    mutating func stringMap(_ node: Node, _ what: @autoclosure () -> String) -> [(key: String, value: String, location: SourceLocation)]? {
        guard let entries = mapping(node, what()) else { return nil }
        return entries.compactMap { entry in
            text(entry.value, "'\(entry.key)' in \(what())").map { (entry.key, $0, location(entry.value)) }
        }
    }

    /// The plain data value of a node, with the YAML 1.2 core schema for unquoted scalars.
    mutating func value(_ node: Node) -> Value? {
        guard let parameter = parameterValue(node, depth: 0, parsesTemplates: false) else { return nil }
        return parameter.literalValue
    }

    /// A value that may hold `${{ }}` expressions in its strings.
    mutating func parameterValue(_ node: Node) -> ParameterValue? {
        parameterValue(node, depth: 0, parsesTemplates: true)
    }

    private mutating func parameterValue(_ node: Node, depth: Int, parsesTemplates: Bool) -> ParameterValue? {
        nodeBudget -= 1
        guard nodeBudget >= 0 else {
            if nodeBudget == -1 {
                error(location(node), "the document is too large: it expands to more than 200000 values",
                      hint: "YAML aliases that repeat large structures multiply them; write the values out")
            }
            return nil
        }
        guard depth < Self.maximumDepth else {
            error(location(node), "values are nested more than \(Self.maximumDepth) levels deep")
            return nil
        }
        switch node {
        case .scalar(let scalar):
            let value = scalarValue(node)
            if parsesTemplates, case .string(let text) = value, text.contains("${{") {
                // A template that does not parse is reported here and kept as text, so the parameter still
                // counts as given and no second error follows from its absence.
                return template(scalar, at: location(node)).map(ParameterValue.template) ?? .literal(value, location(node))
            }
            return .literal(value, location(node))
        case .sequence(let sequence):
            var items: [ParameterValue] = []
            for item in sequence {
                guard let value = parameterValue(item, depth: depth + 1, parsesTemplates: parsesTemplates) else {
                    return nil
                }
                items.append(value)
            }
            return .list(items, location(node))
        case .mapping:
            guard let entries = mapping(node, "a value") else { return nil }
            var values: [String: ParameterValue] = [:]
            for entry in entries {
                guard let value = parameterValue(entry.value, depth: depth + 1, parsesTemplates: parsesTemplates)
                else { return nil }
                values[entry.key] = value
            }
            return .map(values, location(node))
        }
    }

    /// A string that may hold `${{ }}` expressions.
    mutating func template(_ node: Node, _ what: @autoclosure () -> String) -> TemplateValue? {
        guard case .scalar(let scalar) = node, !isNull(scalar) else {
            error(location(node), "\(what()) must be a string, not \(describe(node))")
            return nil
        }
        return template(scalar, at: location(node))
    }

    private mutating func template(_ scalar: Node.Scalar, at location: SourceLocation) -> TemplateValue? {
        let site = site(of: scalar, at: location)
        do {
            return TemplateValue(template: try Template(parsing: scalar.string), site: site)
        } catch {
            self.error(source.location(ofOffset: error.offset, in: site), error.message)
            return nil
        }
    }

    /// A bare expression (`if:`, `retry.until`), with or without `${{ }}` around it.
    mutating func condition(_ node: Node, _ what: @autoclosure () -> String) -> ConditionValue? {
        guard case .scalar(let scalar) = node, !isNull(scalar) else {
            error(location(node), "\(what()) must be an expression, not \(describe(node))")
            return nil
        }
        let site = site(of: scalar, at: location(node))
        do {
            return ConditionValue(expression: try Condition.parse(scalar.string), site: site)
        } catch {
            self.error(source.location(ofOffset: error.offset, in: site), error.message)
            return nil
        }
    }

    /// The scalar site of `node`, for pointing inside its text later.
    func site(of scalar: Node.Scalar, at location: SourceLocation) -> ScalarSite {
        let style: ScalarSite.Style = switch scalar.style {
        case .singleQuoted, .doubleQuoted: .quoted
        case .literal, .folded: .block
        default: .plain
        }
        return ScalarSite(start: location, style: style, content: scalar.string)
    }

    /// The data value of a scalar node: YAML 1.2 core schema for plain scalars, strings for quoted ones.
    func scalarValue(_ node: Node) -> Value {
        guard case .scalar(let scalar) = node else { return .null }
        guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
        return CoreSchema.resolve(scalar.string)
    }

    private func isNull(_ scalar: Node.Scalar) -> Bool {
        (scalar.style == .plain || scalar.style == .any) && CoreSchema.resolve(scalar.string) == .null
    }

    /// How an error message names what it found: `a list`, `a mapping`, `'text'`, `42`, `null`.
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar: scalarValue(node).typeDescription
        }
    }
}
