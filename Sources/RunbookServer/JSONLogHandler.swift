import Foundation
import Logging
import RunbookLanguage

/// A swift-log handler that writes one JSON object a line to standard error: `ts`, `level`, `logger`, `message`
/// and the metadata, for journald, Loki or CloudWatch Logs to index.
public struct JSONLogHandler: LogHandler {
    /// Metadata added to every record of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Records below this level are dropped.
    public var logLevel: Logger.Level = .info
    private let label: String

    /// A handler for the logger called `label`.
    public init(label: String) {
        self.label = label
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one line.
    public func log(event: LogEvent) {
        var fields: [String: Value] = [
            "ts": .string(Timestamp.format(Date())), "level": .string(event.level.rawValue),
            "logger": .string(label), "message": .string(event.message.description),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = Self.value(value)
        }
        if let error = event.error { fields["error"] = .string("\(error)") }
        FileHandle.standardError.write(Data((Value.object(fields).jsonString(pretty: false) + "\n").utf8))
    }

    private static func value(_ metadata: Logger.MetadataValue) -> Value {
        switch metadata {
        case .string(let text): .string(text)
        case .stringConvertible(let value): .string(value.description)
        case .array(let items): .array(items.map(value))
        case .dictionary(let entries): .object(entries.mapValues(value))
        }
    }
}
