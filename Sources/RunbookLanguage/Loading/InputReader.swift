import Yams

/// Reads the `inputs:` mapping.
enum InputReader {
    static let keys = ["type", "default", "required", "description", "enum", "pattern", "secret"]

    static func read(_ node: Node, reader: inout DocumentReader) -> [InputSpec] {
        if reader.scalarValue(node) == .null, case .scalar = node { return [] }
        guard let entries = reader.mapping(node, "'inputs'") else { return [] }
        return entries.compactMap { read($0, reader: &reader) }
    }

    private static func read(_ entry: YAMLEntry, reader: inout DocumentReader) -> InputSpec? {
        let name = entry.key
        if !Identifier.isInputName(name) {
            reader.error(entry.keyLocation, "invalid input name '\(name)': use letters, digits, '_' and '-', "
                         + "starting with a letter or '_'")
        }
        var input = InputSpec(
            name: name, type: .string, defaultValue: nil, required: false, description: nil, allowedValues: nil,
            pattern: nil, secret: false, location: entry.keyLocation)
        if case .scalar = entry.value, reader.scalarValue(entry.value) == .null { return input }
        let what = "input '\(name)'"
        guard let fields = reader.mapping(entry.value, what) else { return nil }
        reader.checkKeys(fields, allowed: keys, in: what)
        var defaultNode: Node?
        var enumNode: Node?
        for field in fields {
            switch field.key {
            case "type":
                guard let text = reader.text(field.value, "'type' of \(what)") else { continue }
                if let type = InputType(rawValue: text) {
                    input.type = type
                } else {
                    let names = InputType.allCases.map(\.rawValue)
                    let suggestion = InputType.commonMisspellings[text]?.rawValue
                        ?? NearestName.suggestion(for: text, among: names)
                    reader.error(reader.location(field.value),
                                 "unknown type '\(text)' for \(what)" + (suggestion.map { " (did you mean '\($0)'?)" } ?? ""),
                                 hint: "the types are " + names.joined(separator: ", "))
                }
            case "default": defaultNode = field.value
            case "required": input.required = reader.bool(field.value, "'required' of \(what)") ?? false
            case "description": input.description = reader.text(field.value, "'description' of \(what)")
            case "secret": input.secret = reader.bool(field.value, "'secret' of \(what)") ?? false
            case "enum": enumNode = field.value
            case "pattern":
                guard let pattern = reader.text(field.value, "'pattern' of \(what)") else { continue }
                if let problem = PatternMatcher.check(pattern) {
                    reader.error(reader.location(field.value), "'pattern' of \(what): \(problem)")
                } else {
                    input.pattern = pattern
                }
            default: break
            }
        }
        if let enumNode { input.allowedValues = allowedValues(enumNode, for: input, reader: &reader) }
        if let defaultNode, let value = reader.value(defaultNode) {
            if value != .null {
                switch input.accept(value) {
                case .success(let typed): input.defaultValue = typed
                case .failure(let error):
                    reader.error(reader.location(defaultNode), "the default of \(what) is invalid: \(error.problem)")
                }
            }
        }
        return input
    }

    private static func allowedValues(_ node: Node, for input: InputSpec, reader: inout DocumentReader) -> [Value]? {
        let what = "'enum' of input '\(input.name)'"
        guard case .sequence(let items) = node, !items.isEmpty else {
            reader.error(reader.location(node), "\(what) must be a non-empty list of values")
            return nil
        }
        var values: [Value] = []
        for item in items {
            guard let value = reader.value(item) else { continue }
            switch input.type.convert(value) {
            case .success(let typed): values.append(typed)
            case .failure(let error): reader.error(reader.location(item), "\(what): \(error.problem)")
            }
        }
        return values
    }
}
