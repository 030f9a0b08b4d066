import Foundation
import RunbookAlerts
import Testing

/// The real alert payloads in `Fixtures/alerts`, copied from the public sources its `SOURCES.md` names; a resource of
/// the test target.
enum AlertFixtures {
    /// The attribution beside the payloads, which is not one.
    private static let sources = "SOURCES.md"

    /// The names of every payload in the folder.
    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: try existingDirectory().path).filter { $0 != sources }
            .sorted()
    }

    /// A fixture's bytes.
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: try existingDirectory().appendingPathComponent(name))
    }

    /// A fixture's JSON, to derive variants of a real payload.
    static func json(_ name: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: try data(name))
        return try #require(object as? [String: Any], "\(name) is not a JSON object")
    }

    /// A raw HTTP request fixture (`.http`): its header fields and body. Content-Length is not trusted (the AWS
    /// documentation's example states 773 for a 617-byte body).
    static func request(_ name: String) throws -> (headers: WebhookHeaders, body: Data) {
        let text = String(decoding: try data(name), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let parts = try #require(text.range(of: "\n\n"), "\(name) has no blank line after its header")
        let lines = text[..<parts.lowerBound].split(separator: "\n").dropFirst()
        let fields = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return (WebhookHeaders(fields), Data(text[parts.upperBound...].utf8))
    }

    /// The fixtures folder in the target's resource bundle.
    private static func existingDirectory() throws -> URL {
        let directory = try #require(Bundle.module.resourceURL, "the test target has no resource bundle")
            .appendingPathComponent("Fixtures/alerts")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw FixtureMissing(path: directory.path)
        }
        return directory
    }
}

/// Something the tests expect among the alert fixtures is not there.
struct FixtureMissing: Error, CustomStringConvertible {
    let path: String
    var description: String {
        "not found among the alert fixtures (Tests/RunbookAlertsTests/Fixtures/alerts, copied into the test bundle): "
            + path
    }
}
