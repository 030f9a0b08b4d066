/// What came back for an `HTTPRequest`.
public struct HTTPResponse: Sendable {
    /// The status of the last response (after redirects).
    public var status: Int
    /// The header fields of the last response.
    public var headers: [HTTPHeader]
    /// The body, up to the request's `maxResponseBytes`.
    public var body: [UInt8]
    /// How many body bytes arrived, including those not kept.
    public var bodyByteCount: Int
    /// The time from the start to the complete response, redirects included.
    public var totalTime: Duration

    /// Creates a response.
    public init(status: Int, headers: [HTTPHeader], body: [UInt8], bodyByteCount: Int, totalTime: Duration) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyByteCount = bodyByteCount
        self.totalTime = totalTime
    }

    /// Whether part of the body was not kept.
    public var isBodyTruncated: Bool { bodyByteCount > body.count }

    /// The kept body as text (invalid UTF-8 replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The value of the first header field called `name`, compared without case.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
