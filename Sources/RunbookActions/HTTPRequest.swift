/// An HTTP request, sent with libcurl through `CurlEasy`.
///
/// TLS uses the system trust store, and proxies come from the environment (`https_proxy`, `HTTPS_PROXY`, `NO_PROXY`)
/// as libcurl does by default.
public struct HTTPRequest: Sendable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The absolute `http://` or `https://` URL.
    public var url: String
    /// Header fields, sent in order.
    public var headers: [HTTPHeader]
    /// The body, when there is one.
    public var body: [UInt8]?
    /// How long the whole exchange may take, redirects included.
    public var timeout: Duration
    /// Whether redirects are followed (at most ``maxRedirects``).
    public var followsRedirects: Bool
    /// How many redirects are followed before giving up.
    public var maxRedirects: Int
    /// How much of the response body is kept; the rest is read and counted, not kept.
    public var maxResponseBytes: Int
    /// Extra libcurl settings (signing, client certificates).
    public var options: [CurlOption]

    /// Creates a request that follows up to 10 redirects and keeps up to 1 MiB of the response body.
    public init(
        method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil,
        timeout: Duration = .seconds(30), options: [CurlOption] = []
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.followsRedirects = true
        self.maxRedirects = 10
        self.maxResponseBytes = 1024 * 1024
        self.options = options
    }

    /// Sends the request off Swift's cooperative pool and waits for the response; cancelling the task aborts the
    /// transfer within about a second.
    /// - Throws: `HTTPError` when no response arrived (an HTTP error status is a response, not an error).
    public func send() async throws(HTTPError) -> HTTPResponse {
        try await CurlEasy.send(self)
    }
}
