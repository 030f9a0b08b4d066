import Foundation
import RunbookAlerts
import RunbookLanguage
import Testing

/// The SNS topics of the fixtures, allowed in tests.
let fixtureTopics = SNSTopicAllowList([
    "arn:aws:sns:eu-west-1:1234567890:alerta-test", "arn:aws:sns:us-west-2:123456789012:MyTopic",
])

/// The receiver for a fixture, by the source its file name starts with.
func receiver(forFixture name: String) throws -> any AlertReceiver {
    if name.hasPrefix("alertmanager-") { return AlertmanagerReceiver() }
    if name.hasPrefix("grafana-") { return GrafanaReceiver() }
    if name.hasPrefix("aws-sns-") { return CloudWatchReceiver(allowedTopics: fixtureTopics) }
    if name.hasPrefix("pagerduty-") { return PagerDutyReceiver() }
    throw FixtureMissing(path: "a receiver for \(name)")
}

/// Reads a fixture with its source's receiver: a `.http` file as a raw request, other files as the body.
func receive(fixture name: String) throws -> Result<AlertDelivery, AlertPayloadError> {
    let receiver = try receiver(forFixture: name)
    let (headers, body) = name.hasSuffix(".http")
        ? try AlertFixtures.request(name) : (WebhookHeaders(), try AlertFixtures.data(name))
    return Result { () throws(AlertPayloadError) in try receiver.receive(body: body, headers: headers) }
}

/// The alerts of a fixture that must parse.
func alerts(fixture name: String) throws -> [Alert] {
    try alerts(in: try receive(fixture: name).get())
}

/// The alerts of a JSON body built from a fixture changed by `change`.
func alerts(
    _ receiver: some AlertReceiver, fixture name: String, headers: WebhookHeaders = WebhookHeaders(),
    change: (inout [String: Any]) throws -> Void
) throws -> [Alert] {
    try alerts(in: try receiver.receive(body: try body(fixture: name, change: change), headers: headers))
}

/// The error a JSON body built from a fixture changed by `change` gives.
func payloadError(
    _ receiver: some AlertReceiver, fixture name: String, change: (inout [String: Any]) throws -> Void
) throws -> AlertPayloadError {
    let body = try body(fixture: name, change: change)
    return try #require(throws: AlertPayloadError.self) { try receiver.receive(body: body, headers: WebhookHeaders()) }
}

/// A fixture's JSON changed by `change`, serialized again.
func body(fixture name: String, change: (inout [String: Any]) throws -> Void) throws -> Data {
    var json = try AlertFixtures.json(name)
    try change(&json)
    return try JSONSerialization.data(withJSONObject: json)
}

/// The alerts of a delivery that must carry alerts.
func alerts(in delivery: AlertDelivery) throws -> [Alert] {
    guard case .alerts(let alerts) = delivery else {
        Issue.record("expected alerts, got \(delivery)")
        return []
    }
    return alerts
}

/// `json[path[0]][path[1]]…` replaced by `value`, through dictionaries and arrays (an `Int` step is an index).
func set(_ json: inout [String: Any], _ path: [any Sendable], to value: Any?) throws {
    var root: Any = json
    root = try replaced(root, path[...], value)
    json = try #require(root as? [String: Any])
}

private func replaced(_ node: Any, _ path: ArraySlice<any Sendable>, _ value: Any?) throws -> Any {
    guard let step = path.first else { return value ?? NSNull() }
    if let key = step as? String {
        var object = try #require(node as? [String: Any], "no object at '\(key)'")
        if path.count == 1, value == nil {
            object.removeValue(forKey: key)
        } else {
            object[key] = try replaced(object[key] ?? [String: Any](), path.dropFirst(), value)
        }
        return object
    }
    let index = try #require(step as? Int)
    var array = try #require(node as? [Any], "no list at [\(index)]")
    array[index] = try replaced(array[index], path.dropFirst(), value)
    return array
}
