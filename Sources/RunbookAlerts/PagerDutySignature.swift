import Crypto
import Foundation

/// Checks PagerDuty's `X-PagerDuty-Signature` header: `v1=<hex HMAC-SHA256 of the raw body>`, one per secret the
/// subscription currently signs with, separated by commas.
public enum PagerDutySignature {
    /// The header's name.
    public static let header = "X-PagerDuty-Signature"

    /// Accepts the body when one of the header's `v1` signatures is the HMAC-SHA256 of `body` under one of
    /// `secrets` (several while a secret is being rotated). Comparisons take constant time.
    /// - Parameters:
    ///   - body: The request body exactly as received.
    ///   - header: The `X-PagerDuty-Signature` value, or nil when the request has none.
    ///   - secrets: The webhook subscriptions' signing secrets.
    /// - Throws: `WebhookSignatureError` when the header is missing, holds no `v1` signature, or none matches.
    public static func verify(body: Data, header: String?, secrets: [String]) throws(WebhookSignatureError) {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw WebhookSignatureError("the \(Self.header) header is missing; set a signing secret on the "
                                        + "PagerDuty webhook subscription")
        }
        let signatures = header.split(separator: ",").compactMap { item -> [UInt8]? in
            let text = item.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("v1=") else { return nil }
            return Self.bytes(hex: text.dropFirst(3))
        }
        guard !signatures.isEmpty else {
            throw WebhookSignatureError("the \(Self.header) header holds no v1=<hex> signature")
        }
        guard !secrets.isEmpty else {
            throw WebhookSignatureError("no PagerDuty signing secret is configured to check \(Self.header) with")
        }
        for secret in secrets {
            let key = SymmetricKey(data: Data(secret.utf8))
            for signature in signatures
            where HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: body, using: key) {
                return
            }
        }
        throw WebhookSignatureError("no \(Self.header) signature matches the body under the configured secrets "
                                    + "(a wrong secret, or the body was changed on the way)")
    }

    /// The bytes a string of hex digit pairs spells, or nil.
    private static func bytes(hex: Substring) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
