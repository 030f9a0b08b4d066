import Foundation

/// Calls one AWS service in its protocol (JSON with `X-Amz-Target`, Query, or REST-XML), signed by libcurl's SigV4.
struct AWSClient: Sendable {
    /// The environment's region, credentials and endpoints.
    var session: AWSSession
    /// The service called.
    var service: AWSService
    /// How long one call may take; the step's timeout may end it sooner by cancelling the task.
    var requestTimeout: Duration = .seconds(30)

    /// Calls `operation` of a JSON-protocol service with `request` as its JSON body and decodes the answer; dates
    /// travel as seconds since 1970 both ways.
    /// - Throws: `AWSError` when no answer arrived, AWS answered with an error, or the answer cannot be read.
    func call<Response: Decodable>(
        _ operation: String, _ request: some Encodable, as response: Response.Type = Response.self
    ) async throws(AWSError) -> Response {
        let endpoint = session.endpoint(service)
        guard case .json(let version, let targetPrefix) = service.wireProtocol else {
            throw failure(operation, endpoint, .unreadable("\(service.displayName) has no JSON protocol"))
        }
        let body: Data
        do {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .secondsSince1970
            body = try encoder.encode(request)
        } catch {
            throw failure(operation, endpoint, .unreadable("the request could not be encoded: \(error)"))
        }
        let headers = [
            HTTPHeader("Content-Type", "application/x-amz-json-\(version)"),
            HTTPHeader("X-Amz-Target", "\(targetPrefix).\(operation)"),
        ]
        let answer = try await send(operation, method: "POST", url: endpoint + "/", headers: headers, body: Array(body))
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .secondsSince1970
            return try decoder.decode(Response.self, from: Data(answer.body))
        } catch {
            throw failure(operation, endpoint, .unreadable(Self.start(of: answer)))
        }
    }

    /// Calls `action` of a Query-protocol service with `parameters` (flattened names such as
    /// `Filters.member.1.Name`) and returns the answer's `<ActionResult>` element.
    /// - Throws: `AWSError` when no answer arrived, AWS answered with an error, or the answer is not XML.
    func query(_ action: String, _ parameters: [String: String] = [:]) async throws(AWSError) -> XMLTree {
        let endpoint = session.endpoint(service)
        guard case .query(let apiVersion) = service.wireProtocol else {
            throw failure(action, endpoint, .unreadable("\(service.displayName) has no Query protocol"))
        }
        var fields = parameters
        fields["Action"] = action
        fields["Version"] = apiVersion
        let form = PercentEncoding.query(fields)
        let headers = [HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        let answer = try await send(action, method: "POST", url: endpoint + "/", headers: headers, body: Array(form.utf8))
        let root = try xml(action, answer)
        return root["\(action)Result"] ?? root
    }

    /// Calls `operation` of a REST-XML service: a `GET` of `url` (its path already percent-encoded) with `query`.
    /// - Throws: `AWSError` when no answer arrived or AWS answered with an error.
    func get(_ operation: String, url: String, query: [String: String] = [:]) async throws(AWSError) -> HTTPResponse {
        let address = query.isEmpty ? url : url + "?" + PercentEncoding.query(query)
        // S3 wants the payload's hash in a header of its own; a GET has an empty payload.
        let emptyPayload = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        return try await send(
            operation, method: "GET", url: address, headers: [HTTPHeader("x-amz-content-sha256", emptyPayload)],
            body: nil)
    }

    /// ``get(_:url:query:)``, with the answer read as XML.
    /// - Throws: `AWSError` as `get` does, or when the answer is not XML.
    func getXML(_ operation: String, url: String, query: [String: String] = [:]) async throws(AWSError) -> XMLTree {
        try xml(operation, try await get(operation, url: url, query: query))
    }

    /// The answer to `operation` read as XML.
    /// - Throws: `AWSError` when it is not XML.
    func xml(_ operation: String, _ answer: HTTPResponse) throws(AWSError) -> XMLTree {
        do {
            return try XMLTree(parsing: answer.body)
        } catch {
            throw failure(operation, session.endpoint(service), .unreadable(Self.start(of: answer)))
        }
    }

    /// Signs and sends one request, and returns the answer when its status is a success.
    private func send(
        _ operation: String, method: String, url: String, headers: [HTTPHeader], body: [UInt8]?
    ) async throws(AWSError) -> HTTPResponse {
        let endpoint = session.endpoint(service)
        let credentials = session.credentials
        var headers = headers
        if let token = credentials.sessionToken { headers.append(HTTPHeader("X-Amz-Security-Token", token)) }
        var httpRequest = HTTPRequest(
            method: method, url: url, headers: headers, body: body, timeout: requestTimeout,
            options: [
                .awsSigV4("aws:amz:\(session.region):\(service.signingName)"),
                .userPassword("\(credentials.accessKeyID):\(credentials.secretAccessKey)"),
            ])
        // A signed request is never replayed to another host.
        httpRequest.followsRedirects = false
        httpRequest.maxResponseBytes = 16 * 1024 * 1024

        let answer: HTTPResponse
        do {
            answer = try await httpRequest.send()
        } catch {
            throw failure(operation, endpoint, .transport(error))
        }
        guard (200..<300).contains(answer.status) else {
            let errorBody = AWSErrorBody(answer)
            throw failure(
                operation, endpoint, .service(status: answer.status, type: errorBody.type, message: errorBody.message))
        }
        guard !answer.isBodyTruncated else {
            throw failure(operation, endpoint, .unreadable("the response is larger than 16 MiB"))
        }
        return answer
    }

    /// `HTTP 200, body starting "…"`, for answers that are not what the API returns.
    private static func start(of answer: HTTPResponse) -> String {
        let start = answer.text.prefix(120).replacingOccurrences(of: "\n", with: " ")
        return "HTTP \(answer.status), body starting \"\(start)\""
    }

    private func failure(_ operation: String, _ endpoint: String, _ reason: AWSError.Reason) -> AWSError {
        AWSError(
            reason: reason, call: "\(service.displayName) \(operation)",
            permission: "\(service.iamPrefix):\(operation)",
            endpoint: endpoint, endpointSource: session.endpointSource(service), credentials: session.credentials,
            environmentLabel: session.environmentLabel)
    }
}
