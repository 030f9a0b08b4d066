/// Percent-encoding as RFC 3986 has it for a URL component: every byte but letters, digits and `-_.~` as `%XX`.
///
/// The same for an AWS canonical query string (SigV4) and for Go's `url.Values.Encode` (Kubernetes), except that Go
/// writes a space as `+`, which servers read as `%20` does.
enum PercentEncoding {
    /// `text` with every byte outside the unreserved characters written `%XX`.
    static func component(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return encoded
    }

    /// `fields` as `name=value&…`, sorted by name, each part encoded: the string that is signed is the one sent.
    static func query(_ fields: [String: String]) -> String {
        fields.sorted { $0.key < $1.key }.map { "\(component($0.key))=\(component($0.value))" }
            .joined(separator: "&")
    }
}
