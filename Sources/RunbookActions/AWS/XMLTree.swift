/// An element of an XML document as the AWS Query and REST-XML protocols write them (`DescribeDBInstances`,
/// `ListObjectsV2`, error bodies): a name, child elements and text. Attributes and namespaces are read past.
///
/// The reader takes well-formed XML of elements, text, the five predefined and numeric character references,
/// CDATA sections, comments, processing instructions and a DOCTYPE without an internal subset; anything else is
/// refused rather than guessed at. It is small because AWS answers need no more, and it keeps runbook from linking
/// libxml2 (and ICU) at every start for the two services that answer in XML.
struct XMLTree: Sendable, Hashable {
    /// The element's local name, without a namespace prefix.
    var name: String
    /// The child elements, in document order.
    var children: [XMLTree]
    /// The element's own text (its character data, outside child elements), with references decoded.
    var text: String

    /// Parses `bytes` as one XML document and returns its root element.
    /// - Throws: `XMLTree.SyntaxError` naming the offset of the first problem.
    init(parsing bytes: [UInt8]) throws(SyntaxError) {
        var reader = Reader(bytes: bytes)
        self = try reader.document()
    }

    init(name: String, children: [XMLTree] = [], text: String = "") {
        self.name = name
        self.children = children
        self.text = text
    }

    /// Why a document could not be read.
    struct SyntaxError: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        var reason: String
        /// The byte offset where it was found.
        var offset: Int

        /// `malformed XML at byte 12: …`.
        var description: String { "malformed XML at byte \(offset): \(reason)" }
    }

    /// The first child called `name`.
    subscript(name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Every child called `name`.
    func all(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The text of the element at `path` (`["Endpoint", "Address"]`), nil when there is none.
    func string(_ path: String...) -> String? {
        var element = self
        for name in path {
            guard let child = element[name] else { return nil }
            element = child
        }
        return element.text
    }

    /// The first element called `name` at any depth below this one, depth first.
    func first(_ name: String) -> XMLTree? {
        for child in children {
            if child.name == name { return child }
            if let found = child.first(name) { return found }
        }
        return nil
    }
}

extension XMLTree {
    /// A cursor over a document's bytes.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func document() throws(SyntaxError) -> XMLTree {
            try skipMisc()
            guard peek("<") else { throw error("the document has no root element") }
            let root = try element()
            try skipMisc()
            guard index == bytes.count else { throw error("content follows the root element") }
            return root
        }

        /// Whitespace, comments, processing instructions and a DOCTYPE around the root element.
        private mutating func skipMisc() throws(SyntaxError) {
            while true {
                while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
                if peek("<?") {
                    try skip(past: "?>")
                } else if peek("<!--") {
                    try skip(past: "-->")
                } else if peek("<!DOCTYPE") {
                    try skip(past: ">")
                } else {
                    return
                }
            }
        }

        /// An element whose `<` is at the cursor, through its end tag.
        private mutating func element() throws(SyntaxError) -> XMLTree {
            index += 1
            let qualified = name()
            guard !qualified.isEmpty else { throw error("an element has no name") }
            let selfClosing = try attributes()
            var element = XMLTree(name: Self.localName(qualified))
            if selfClosing { return element }
            while true {
                guard index < bytes.count else { throw error("<\(qualified)> is not closed") }
                if peek("</") {
                    index += 2
                    let closing = name()
                    guard closing == qualified else { throw error("</\(closing)> closes <\(qualified)>") }
                    while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
                    guard peek(">") else { throw error("</\(closing) is not ended by '>'") }
                    index += 1
                    return element
                } else if peek("<!--") {
                    try skip(past: "-->")
                } else if peek("<![CDATA[") {
                    index += 9
                    let start = index
                    try skip(past: "]]>")
                    element.text += String(decoding: bytes[start..<(index - 3)], as: UTF8.self)
                } else if peek("<?") {
                    try skip(past: "?>")
                } else if peek("<") {
                    element.children.append(try self.element())
                } else {
                    element.text += try characterData()
                }
            }
        }

        /// Reads past the attributes to the end of a start tag; true when the tag closes itself (`/>`).
        private mutating func attributes() throws(SyntaxError) -> Bool {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ">"):
                    index += 1
                    return false
                case UInt8(ascii: "/") where peek("/>"):
                    index += 2
                    return true
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    let quote = bytes[index]
                    index += 1
                    while index < bytes.count, bytes[index] != quote { index += 1 }
                    index += 1
                default:
                    index += 1
                }
            }
            throw error("a start tag is not ended by '>'")
        }

        /// Text up to the next `<`, with character references decoded.
        private mutating func characterData() throws(SyntaxError) -> String {
            var text: [UInt8] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "<") {
                if bytes[index] == UInt8(ascii: "&") {
                    text += try reference()
                } else {
                    text.append(bytes[index])
                    index += 1
                }
            }
            return String(decoding: text, as: UTF8.self)
        }

        /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#10;` or `&#x0A;`, as UTF-8.
        private mutating func reference() throws(SyntaxError) -> [UInt8] {
            let start = index
            guard let semicolon = bytes[index...].firstIndex(of: UInt8(ascii: ";")), semicolon - index <= 10 else {
                throw error("'&' starts no character reference")
            }
            let body = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            index = semicolon + 1
            let named: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
            if let character = named[body] { return Array(character.utf8) }
            let scalar: Unicode.Scalar? =
                if body.hasPrefix("#x") {
                    UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if body.hasPrefix("#") {
                    UInt32(body.dropFirst()).flatMap(Unicode.Scalar.init)
                } else {
                    nil
                }
            guard let scalar else {
                index = start
                throw error("'&\(body);' is not a character reference XML predefines")
            }
            return Array(String(Character(scalar)).utf8)
        }

        /// A name at the cursor (possibly empty).
        private mutating func name() -> String {
            let start = index
            while index < bytes.count, !Self.isSpace(bytes[index]),
                ![UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "=")].contains(bytes[index])
            {
                index += 1
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// Moves the cursor past the next `terminator`.
        private mutating func skip(past terminator: String) throws(SyntaxError) {
            let pattern = Array(terminator.utf8)
            var position = index
            while position + pattern.count <= bytes.count {
                if bytes[position..<(position + pattern.count)].elementsEqual(pattern) {
                    index = position + pattern.count
                    return
                }
                position += 1
            }
            throw error("'\(terminator)' is missing")
        }

        private func peek(_ text: String) -> Bool {
            let pattern = Array(text.utf8)
            return index + pattern.count <= bytes.count
                && bytes[index..<(index + pattern.count)].elementsEqual(pattern)
        }

        private func error(_ reason: String) -> SyntaxError { SyntaxError(reason: reason, offset: index) }

        private static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }

        private static func localName(_ qualified: String) -> String {
            qualified.split(separator: ":").last.map(String.init) ?? qualified
        }
    }
}
