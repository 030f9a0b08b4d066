import Foundation

/// Calls one AWS service with the JSON 1.1 protocol (`POST /`, `X-Amz-Target`), signed by libcurl's SigV4.
struct AWSClient: Sendable {
    /// The environment's region, credentials and endpoints.
    var session: AWSSession
    /// The service called.
    var service: AWSService
    /// How long one call may take; the step's timeout may end it sooner by cancelling the task.
    var requestTimeout: Duration = .seconds(30)

    /// Calls `operation` with `request` as its JSON body and decodes the answer.
    /// - Throws: `AWSError` when no answer arrived, AWS answered with an error, or the answer cannot be read.
    func call<Response: Decodable>(
        _ operation: String, _ request: some Encodable, as response: Response.Type = Response.self
    ) async throws(AWSError) -> Response {
        let endpoint = session.endpoint(service)
        let body: Data
        do {
            body = try JSONEncoder().encode(request)
        } catch {
            throw failure(operation, endpoint, .unreadable("the request could not be encoded: \(error)"))
        }
        let credentials = session.credentials
        var headers = [
            HTTPHeader("Content-Type", "application/x-amz-json-1.1"),
            HTTPHeader("X-Amz-Target", "\(service.targetPrefix).\(operation)"),
        ]
        if let token = credentials.sessionToken { headers.append(HTTPHeader("X-Amz-Security-Token", token)) }
        var httpRequest = HTTPRequest(
            method: "POST", url: endpoint + "/", headers: headers, body: Array(body), timeout: requestTimeout,
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
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .secondsSince1970
            return try decoder.decode(Response.self, from: Data(answer.body))
        } catch {
            let start = answer.text.prefix(120).replacingOccurrences(of: "\n", with: " ")
            throw failure(operation, endpoint, .unreadable("HTTP \(answer.status), body starting \"\(start)\""))
        }
    }

    private func failure(_ operation: String, _ endpoint: String, _ reason: AWSError.Reason) -> AWSError {
        AWSError(
            reason: reason, call: "\(service.displayName) \(operation)",
            permission: "\(service.iamPrefix):\(operation)",
            endpoint: endpoint, endpointSource: session.endpointSource(service), credentials: session.credentials,
            environmentLabel: session.environmentLabel)
    }
}
