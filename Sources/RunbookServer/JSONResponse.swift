import Hummingbird
import NIOCore
import RunbookLanguage
import RunbookStore

/// Responses with a JSON body, as every endpoint but `/metrics` answers.
enum JSONResponse {
    /// `value` as compact JSON with `status`.
    static func make(_ status: HTTPResponse.Status, _ value: Value) -> Response {
        text(status, value.jsonString(pretty: false) + "\n")
    }

    /// The status that answers a request the store failed: 500 when the store is damaged (retrying will not help),
    /// 503 otherwise (busy, or not reachable now: retry later).
    static func status(of error: StoreError) -> HTTPResponse.Status {
        error.code == .corrupt ? .internalServerError : .serviceUnavailable
    }

    /// `{"error": message}` with `status`.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        make(status, ["error": .string(message)])
    }

    /// Pre-encoded JSON text with `status`.
    static func text(_ status: HTTPResponse.Status, _ json: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }
}
