import Foundation
import RunbookLanguage

/// A value in a webhook body together with the path that names it in errors (`alerts[1].labels`).
///
/// Reading a member of an absent value gives an absent value, so optional fields need no checks; a required
/// field that is absent, or a field of the wrong type, throws an `AlertPayloadError` naming its path.
struct PayloadNode {
    /// The value; nil when the field is absent. JSON `null` counts as absent.
    let value: Value?
    /// The field's path; empty for the body itself.
    let path: String
    /// The format being read, for errors.
    let source: AlertSource

    /// Parses `data` as a JSON object.
    /// - Parameter path: The path of the text in the request: empty for the body, `Message` for SNS's inner JSON.
    static func parse(_ data: Data, path: String = "", source: AlertSource) throws(AlertPayloadError) -> PayloadNode {
        let value: Value
        do {
            value = try Value(json: data)
        } catch {
            throw AlertPayloadError(
                source: source, field: path.isEmpty ? "body" : path,
                problem: "not JSON (\(Value.summary(ofJSONError: error)))")
        }
        let node = PayloadNode(value: value, path: path, source: source)
        guard case .object = value else { throw node.error("expected a JSON object, found \(value.typeName)") }
        return node
    }

    /// Whether the field is absent or `null`.
    var isAbsent: Bool { value == nil || value == .null }

    /// The member `name` of this object (absent when this is absent).
    /// - Throws: when this value is present but not an object.
    func member(_ name: String) throws(AlertPayloadError) -> PayloadNode {
        let child = childPath(name)
        guard let value, value != .null else { return PayloadNode(value: nil, path: child, source: source) }
        guard case .object(let members) = value else { throw error("expected an object, found \(value.typeName)") }
        return PayloadNode(value: members[name], path: child, source: source)
    }

    /// The elements of this required array.
    func elements() throws(AlertPayloadError) -> [PayloadNode] {
        guard let value = presentValue else { throw error("missing") }
        guard case .array(let items) = value else { throw error("expected a list, found \(value.typeName)") }
        return items.enumerated().map { PayloadNode(value: $1, path: "\(path)[\($0)]", source: source) }
    }

    /// The elements of this array, or none when it is absent.
    func optionalElements() throws(AlertPayloadError) -> [PayloadNode] {
        isAbsent ? [] : try elements()
    }

    /// This required string.
    func string() throws(AlertPayloadError) -> String {
        guard let text = try optionalString() else { throw error("missing") }
        return text
    }

    /// This string, or nil when absent.
    func optionalString() throws(AlertPayloadError) -> String? {
        guard let value = presentValue else { return nil }
        guard case .string(let text) = value else { throw error("expected a string, found \(value.typeName)") }
        return text
    }

    /// This string when present and not empty, else nil.
    func nonEmptyString() throws(AlertPayloadError) -> String? {
        guard let text = try optionalString(), !text.isEmpty else { return nil }
        return text
    }

    /// This object of strings (labels, annotations); empty when absent and not `required`.
    func stringMap(required: Bool) throws(AlertPayloadError) -> [String: String] {
        guard let value = presentValue else {
            if required { throw error("missing") }
            return [:]
        }
        guard case .object(let members) = value else { throw error("expected an object, found \(value.typeName)") }
        var strings: [String: String] = [:]
        for (name, member) in members {
            guard case .string(let text) = member else {
                throw AlertPayloadError(
                    source: source, field: childPath(name), problem: "expected a string, found \(member.typeName)")
            }
            strings[name] = text
        }
        return strings
    }

    /// This required RFC 3339 time.
    func timestamp() throws(AlertPayloadError) -> Date {
        guard let date = try optionalTimestamp() else { throw error("missing") }
        return date
    }

    /// This RFC 3339 time, or nil when absent.
    func optionalTimestamp() throws(AlertPayloadError) -> Date? {
        guard let text = try optionalString() else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw error("'\(text)' is not an RFC 3339 time such as 2026-11-22T10:04:05.123Z")
        }
        return date
    }

    /// An error about this field.
    func error(_ problem: String) -> AlertPayloadError {
        AlertPayloadError(source: source, field: path.isEmpty ? "body" : path, problem: problem)
    }

    /// The value when present (not absent, not `null`).
    private var presentValue: Value? { isAbsent ? nil : value }

    private func childPath(_ name: String) -> String { path.isEmpty ? name : path + "." + name }
}
