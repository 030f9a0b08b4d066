/// The JSON Schema (draft 2020-12) of the runbook format, for editors' YAML support.
///
/// It is built from the action catalog, so each action's `with:` is described exactly as the validator checks it.
/// Some rules need the whole document (cycles, what an expression may read): only `runbook validate` checks those.
public enum RunbookSchema {
    /// The schema document.
    public static func document(catalog: ActionCatalog) -> Value {
        var definitions: [String: Value] = [
            "duration": [
                "type": "string", "pattern": "^([0-9]+(ms|s|m|h|d))+$",
                "description": "A duration: numbers with units ms, s, m, h, d, e.g. 90s, 15m, 1h30m.",
            ],
            "expression": [
                "type": "string", "pattern": "\\$\\{\\{",
                "description": "A string holding a ${{ }} expression, evaluated when the step runs.",
            ],
            "input": input,
            "trigger": trigger,
            "retry": retry,
            "confirm": confirm,
            "step": step(catalog: catalog),
        ]
        for spec in catalog.specs { definitions["with.\(spec.name)"] = with(spec, dropping: []) }
        definitions["with.run"] = with(catalog["shell"] ?? catalog.specs[0], dropping: ["command"])
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "urn:runbook:schema:runbook:v1",
            "title": "runbook v1",
            "description": "An incident runbook: a YAML step graph run by `runbook exec`.",
            "type": "object",
            "required": ["name", "steps"],
            "additionalProperties": false,
            "properties": [
                "name": ["type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$",
                         "description": "The identifier; equals the file name without .yaml."],
                "title": ["type": "string"],
                "description": ["type": "string"],
                "owner": ["type": "string"],
                "tags": stringOrList,
                "severity": ["type": "string", "pattern": "^([Ss][Ee][Vv][1-4]|[Pp][0-3])$",
                             "description": "SEV1..SEV4, or P0..P3 (P0 = SEV1). Default SEV3."],
                "rto": ref("duration"),
                "inputs": [
                    "type": ["object", "null"],
                    "propertyNames": ["pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"],
                    "additionalProperties": ref("input"),
                ],
                "triggers": ["type": "array", "items": ref("trigger")],
                "steps": ["type": "array", "minItems": 1, "items": ref("step")],
            ],
            "$defs": .object(definitions),
        ]
    }

    private static func ref(_ name: String) -> Value { ["$ref": .string("#/$defs/\(name)")] }

    private static let stringOrList: Value = [
        "anyOf": [["type": "string"], ["type": "array", "items": ["type": "string"]]],
    ]

    private static let input: Value = [
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": [
            "type": ["enum": .array(InputType.allCases.map { .string($0.rawValue) })],
            "default": [:],
            "required": ["type": "boolean"],
            "description": ["type": "string"],
            "enum": ["type": "array", "minItems": 1],
            "pattern": ["type": "string"],
            "secret": ["type": "boolean"],
        ],
    ]

    private static let trigger: Value = [
        "type": "object",
        "required": ["source"],
        "additionalProperties": false,
        "properties": [
            "source": ["enum": .array(AlertSource.allCases.map { .string($0.rawValue) })],
            "match": ["type": "object", "additionalProperties": ["type": ["string", "number", "boolean"]]],
            "match_re": ["type": "object", "additionalProperties": ["type": "string"]],
            "inputs": ["type": "object", "additionalProperties": ["type": ["string", "number", "boolean"]]],
            "severity": ["type": "string"],
        ],
    ]

    private static let retry: Value = [
        "type": "object",
        "additionalProperties": false,
        "properties": [
            "attempts": ["type": "integer", "minimum": 1],
            "delay": ref("duration"),
            "backoff": ["enum": ["constant", "exponential"]],
            "until": ["type": ["string", "boolean"]],
        ],
    ]

    private static let confirm: Value = [
        "anyOf": [
            ["type": "boolean"],
            ["type": "string"],
            [
                "type": "object",
                "additionalProperties": false,
                "properties": [
                    "message": ["type": "string"],
                    "timeout": ref("duration"),
                    "default": ["enum": ["deny", "approve"]],
                    "approvers": stringOrList,
                    "min_approvals": ["type": "integer", "minimum": 1],
                ],
            ],
        ],
    ]

    private static func step(catalog: ActionCatalog) -> Value {
        var conditional: [Value] = catalog.specs.map { spec in
            let required = spec.parameters.contains(where: \.required) || !spec.exactlyOneOf.isEmpty
            var then: [String: Value] = ["properties": ["with": ref("with.\(spec.name)")]]
            if required { then["required"] = ["with"] }
            return [
                "if": ["properties": ["action": ["const": .string(spec.name)]], "required": ["action"]],
                "then": .object(then),
            ]
        }
        conditional.append([
            "if": ["required": ["run"]],
            "then": ["properties": ["with": ref("with.run")]],
        ])
        return [
            "type": "object",
            "required": ["id"],
            "additionalProperties": false,
            "oneOf": [
                ["required": ["action"], "not": ["required": ["run"]]],
                ["required": ["run"], "not": ["required": ["action"]]],
            ],
            "allOf": .array(conditional),
            "properties": [
                "id": ["type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"],
                "name": ["type": "string"],
                "action": ["enum": .array(catalog.names.map(Value.string))],
                "run": ["type": "string"],
                "with": ["type": "object"],
                "needs": stringOrList,
                "if": ["type": ["string", "boolean"]],
                "timeout": ref("duration"),
                "retry": ref("retry"),
                "continue_on_error": ["type": "boolean"],
                "confirm": ref("confirm"),
                "mutating": ["type": "boolean"],
                "recovery": ["type": "boolean"],
                "lock": ["type": "string", "pattern": .string(Step.lockNamePattern)],
                "env": ["type": "object", "additionalProperties": ["type": ["string", "number", "boolean"]]],
            ],
        ]
    }

    private static func with(_ spec: ActionSpec, dropping dropped: Set<String>) -> Value {
        let parameters = spec.parameters.filter { !dropped.contains($0.name) }
        var properties: [String: Value] = [:]
        for parameter in parameters {
            var schema = schema(for: parameter.type)
            if case .object(var fields) = schema {
                fields["description"] = .string(parameter.summary)
                if let value = parameter.defaultValue { fields["default"] = value }
                schema = .object(fields)
            }
            properties[parameter.name] = schema
        }
        var object: [String: Value] = [
            "type": "object",
            "additionalProperties": false,
            "description": .string(spec.summary),
            "properties": .object(properties),
        ]
        let required = parameters.filter(\.required).map { Value.string($0.name) }
        if !required.isEmpty { object["required"] = .array(required) }
        let groups = spec.exactlyOneOf.map { group in
            Value.object(["oneOf": .array(group.map { ["required": [.string($0)]] })])
        }
        if !groups.isEmpty { object["allOf"] = .array(groups) }
        return .object(object)
    }

    private static func schema(for type: ParameterType) -> Value {
        let expression = ref("expression")
        switch type {
        case .string: return ["type": ["string", "number"]]
        case .int: return ["anyOf": [["type": "integer"], ["type": "string", "pattern": "^-?[0-9]+$"], expression]]
        case .bool: return ["anyOf": [["type": "boolean"], expression]]
        case .duration: return ["anyOf": [ref("duration"), expression]]
        case .stringList: return ["anyOf": [stringOrList, expression]]
        case .stringMap: return ["anyOf": [["type": "object", "additionalProperties": ["type": ["string", "number", "boolean"]]], expression]]
        case .statusCodes:
            let status: Value = ["type": "integer", "minimum": 100, "maximum": 599]
            return ["anyOf": [status, ["type": "array", "minItems": 1, "items": status], expression]]
        case .signedCount: return ["anyOf": [["type": "integer"], ["type": "string", "pattern": "^[+-][0-9]+$"], expression]]
        case .oneOf(let words): return ["anyOf": [["enum": .array(words.map(Value.string))], expression]]
        }
    }
}
