import Yams

/// One `key: value` pair of a YAML mapping, with the key's position.
struct YAMLEntry {
    /// The key's text.
    var key: String
    /// Where the key is written.
    var keyLocation: SourceLocation
    /// The value node.
    var value: Node
}
