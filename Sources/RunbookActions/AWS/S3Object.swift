import Foundation
import RunbookLanguage

/// One object of a `ListObjectsV2` page (a `<Contents>` element).
struct S3Object: Sendable, Hashable {
    /// The object's key.
    var key: String
    /// Its size in bytes.
    var size: Int
    /// When it was last written; nil when S3's time cannot be read.
    var lastModified: Date?

    /// Reads a `<Contents>` element.
    init(_ element: XMLTree) {
        key = element.string("Key") ?? ""
        size = element.string("Size").flatMap { Int($0) } ?? 0
        lastModified = element.string("LastModified").flatMap(Self.date)
    }

    /// The output entry: key, size, last_modified.
    var value: Value {
        .object([
            "key": .string(key), "size": .number(Double(size)),
            "last_modified": lastModified.map { .string($0.ISO8601Format()) } ?? .null,
        ])
    }

    /// `2026-11-22T10:04:05.000Z`, with or without the fraction.
    private static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle()))
    }
}
