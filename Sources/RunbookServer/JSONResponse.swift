import Hummingbird
import NIOCore
import RunbookLanguage

/// Responses with a JSON body, as every endpoint but `/metrics` answers.
enum JSONResponse {
    /// `value` as compact JSON with `status`.
    static func make(_ status: HTTPResponse.Status, _ value: Value) -> Response {
        text(status, value.jsonString(pretty: false) + "\n")
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
