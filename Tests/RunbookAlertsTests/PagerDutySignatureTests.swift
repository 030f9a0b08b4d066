import Foundation
import RunbookAlerts
import Testing

/// `X-PagerDuty-Signature` checks, against HMACs computed outside Swift.
@Suite struct PagerDutySignatureTests {
    let secret = "whsec-test-1"
    // python3 -c 'import hmac,hashlib,sys; print(hmac.new(b"whsec-test-1",
    //   open("pagerduty-webhook-v3-incident.triggered-zulip.json","rb").read(), hashlib.sha256).hexdigest())'
    let expected = "fb7e9359a8583c707f1d23328d99664fd09d8bfff0fea0f8a05567435312ba7a"

    func body() throws -> Data { try AlertFixtures.data("pagerduty-webhook-v3-incident.triggered-zulip.json") }

    @Test func theSenderSignatureIsAccepted() throws {
        try PagerDutySignature.verify(body: try body(), header: "v1=\(expected)", secrets: [secret])
        try PagerDutySignature.verify(body: try body(), header: "v1=\(expected.uppercased())", secrets: [secret])
    }

    @Test func oneMatchingSignatureAmongSeveralAndRotatedSecretsIsAccepted() throws {
        let other = String(repeating: "ab", count: 32)
        try PagerDutySignature.verify(body: try body(), header: "v1=\(other), v1=\(expected)",
                                      secrets: ["old-secret", secret])
    }

    @Test func aPublishedVectorIsAccepted() throws {
        // RFC 4231 test case 2.
        try PagerDutySignature.verify(
            body: Data("what do ya want for nothing?".utf8),
            header: "v1=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", secrets: ["Jefe"])
    }

    @Test func aTamperedBodyIsRefused() throws {
        var tampered = try body()
        tampered.append(contentsOf: Array(" ".utf8))
        let error = try #require(throws: WebhookSignatureError.self) {
            try PagerDutySignature.verify(body: tampered, header: "v1=\(expected)", secrets: [secret])
        }
        #expect(error.message.hasPrefix("no X-PagerDuty-Signature signature matches the body"))
    }

    @Test func aWrongSecretIsRefused() throws {
        #expect(throws: WebhookSignatureError.self) {
            try PagerDutySignature.verify(body: try body(), header: "v1=\(expected)", secrets: ["whsec-test-2"])
        }
    }

    @Test func missingAndMalformedHeadersAreRefusedWithTheReason() throws {
        let cases: [(String?, String)] = [
            (nil, "the X-PagerDuty-Signature header is missing"),
            ("  ", "the X-PagerDuty-Signature header is missing"),
            ("sha256=\(expected)", "the X-PagerDuty-Signature header holds no v1=<hex> signature"),
            ("v1=zz", "the X-PagerDuty-Signature header holds no v1=<hex> signature"),
            ("v1=\(expected.dropLast())", "the X-PagerDuty-Signature header holds no v1=<hex> signature"),
        ]
        for (header, message) in cases {
            let error = try #require(throws: WebhookSignatureError.self) {
                try PagerDutySignature.verify(body: try body(), header: header, secrets: [secret])
            }
            #expect(error.message.hasPrefix(message), "\(String(describing: header))")
        }
        #expect(throws: WebhookSignatureError.self) {
            try PagerDutySignature.verify(body: try body(), header: "v1=\(expected)", secrets: [])
        }
    }
}
