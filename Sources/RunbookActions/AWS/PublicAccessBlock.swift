import RunbookLanguage

/// A bucket's `PublicAccessBlockConfiguration`: the four settings that keep it from being made public.
struct PublicAccessBlock: Sendable, Hashable {
    /// Each setting by its S3 name (`BlockPublicAcls`, `IgnorePublicAcls`, `BlockPublicPolicy`,
    /// `RestrictPublicBuckets`); one S3 did not answer is off.
    var settings: [String: Bool]

    /// The four settings' names.
    static let names = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]

    /// Reads the configuration; nil when the bucket has none.
    init?(_ configuration: XMLTree?) {
        guard let configuration else { return nil }
        settings = Dictionary(uniqueKeysWithValues: Self.names.map { ($0, configuration.string($0) == "true") })
    }

    /// Whether every setting is on.
    var allBlocked: Bool { settings.values.allSatisfy { $0 } }

    /// The output: the four settings by name.
    var value: Value { .object(settings.mapValues(Value.bool)) }
}
