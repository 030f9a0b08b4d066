import CCurl
import Foundation

/// One libcurl easy handle: the only code that talks to libcurl.
///
/// Not `Sendable`: a handle may be used by one thread at a time, so each transfer creates, uses and frees its handle
/// on one dedicated thread (`send(_:)`).
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// A new handle, or nil when libcurl cannot make one (not installed, out of memory, failed global
    /// initialization). libcurl is loaded, and initialized, by the first call.
    init?() {
        guard let handle = ccurl_easy_init() else { return nil }
        self.handle = handle
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        ccurl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends `request` on a thread of its own, so the blocking transfer stays off Swift's cooperative pool; cancelling
    /// the calling task aborts the transfer at libcurl's next progress callback (at least once a second).
    static func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let cancellation = TransferCancellation()
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Transfer, Never>) in
                let thread = Thread { continuation.resume(returning: transfer(request, cancellation)) }
                thread.name = "runbook-curl"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try outcome.get()
    }

    private typealias Transfer = Result<HTTPResponse, HTTPError>

    /// One transfer on a fresh handle, on the calling thread.
    private static func transfer(_ request: HTTPRequest, _ cancellation: TransferCancellation) -> Transfer {
        guard let easy = CurlEasy() else {
            let loadError = String(cString: ccurl_load_error())
            let reason = loadError.isEmpty ? "libcurl could not create a handle" : loadError
            return .failure(HTTPError(.transferFailed, method: request.method, url: request.url, reason: reason))
        }
        return Result { () throws(HTTPError) in try easy.perform(request, cancellation: cancellation) }
    }

    /// Sends `request` and blocks the calling thread until the response is complete.
    /// - Throws: `HTTPError` when no complete response arrived, or `cancellation` was set.
    func perform(_ request: HTTPRequest, cancellation: TransferCancellation) throws(HTTPError) -> HTTPResponse {
        guard !cancellation.isCancelled else { throw failure(.cancelled, request, "cancelled") }
        ccurl_easy_reset(handle)
        errorBuffer[0] = 0
        let transfer = CurlTransfer(maxBodyBytes: request.maxResponseBytes, cancellation: cancellation)
        let headerList = try makeHeaderList(request)
        defer { ccurl_slist_free_all(headerList) }

        try configure(request, headerList: headerList)
        try configureCallbacks(context: Unmanaged.passUnretained(transfer).toOpaque(), request)
        for option in request.options { try apply(option, request) }

        let code = withExtendedLifetime(transfer) { ccurl_easy_perform(handle) }
        guard code == CURLE_OK else {
            if cancellation.isCancelled { throw failure(.cancelled, request, "cancelled") }
            throw error(for: code, request)
        }
        var status = 0
        var microseconds: curl_off_t = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        _ = ccurl_getinfo_off_t(handle, CURLINFO_TOTAL_TIME_T, &microseconds)
        return HTTPResponse(
            status: status, headers: transfer.headers, body: transfer.body, bodyByteCount: transfer.bodyByteCount,
            totalTime: .microseconds(microseconds))
    }

    // MARK: - Options

    private func configure(_ request: HTTPRequest, headerList: UnsafeMutablePointer<curl_slist>?) throws(HTTPError) {
        let method = request.method.uppercased()
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter && $0.isASCII }) else {
            throw failure(.invalidRequest, request, "'\(request.method)' is not an HTTP method")
        }
        try set(CURLOPT_URL, request.url, request)
        try set(CURLOPT_PROTOCOLS_STR, "http,https", request)
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https", request)
        try set(CURLOPT_NOSIGNAL, 1, request)
        try set(CURLOPT_USERAGENT, "runbook", request)
        try set(CURLOPT_FOLLOWLOCATION, request.followsRedirects ? 1 : 0, request)
        try set(CURLOPT_MAXREDIRS, request.maxRedirects, request)
        let milliseconds = max(1, Int(request.timeout / .milliseconds(1)))
        try set(CURLOPT_TIMEOUT_MS, milliseconds, request)
        try set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds, request)
        try check(ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), CURLOPT_ERRORBUFFER, request)
        try check(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), CURLOPT_HTTPHEADER, request)

        switch method {
        case "GET" where request.body == nil: try set(CURLOPT_HTTPGET, 1, request)
        case "HEAD": try set(CURLOPT_NOBODY, 1, request)
        case "POST": break
        default: try set(CURLOPT_CUSTOMREQUEST, method, request)
        }
        if let body = request.body {
            try check(
                ccurl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)),
                CURLOPT_POSTFIELDSIZE_LARGE, request)
            // COPYPOSTFIELDS copies the bytes at once, so the pointer need not outlive the call.
            let code =
                body.isEmpty
                ? ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
                : body.withUnsafeBytes { bytes in
                    ccurl_setopt_pointer(
                        handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
            try check(code, CURLOPT_COPYPOSTFIELDS, request)
        } else if method == "POST" {
            // An empty body: without one, libcurl would read the body from stdin.
            try check(
                ccurl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, 0), CURLOPT_POSTFIELDSIZE_LARGE, request)
            try set(CURLOPT_COPYPOSTFIELDS, "", request)
        }
    }

    private func configureCallbacks(context: UnsafeMutableRawPointer, _ request: HTTPRequest) throws(HTTPError) {
        let writeBody = ccurl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            // Returning less than was given makes libcurl stop with a write error.
            guard !transfer.cancellation.isCancelled else { return 0 }
            transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        try check(writeBody, CURLOPT_WRITEFUNCTION, request)
        try check(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context), CURLOPT_WRITEDATA, request)
        let writeHeader = ccurl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        try check(writeHeader, CURLOPT_HEADERFUNCTION, request)
        try check(ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context), CURLOPT_HEADERDATA, request)
        let progress = ccurl_setopt_progress_function(handle) { context, _, _, _, _ in
            guard let context else { return 0 }
            // A non-zero return aborts the transfer.
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().cancellation.isCancelled ? 1 : 0
        }
        try check(progress, CURLOPT_XFERINFOFUNCTION, request)
        try check(ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context), CURLOPT_XFERINFODATA, request)
        try set(CURLOPT_NOPROGRESS, 0, request)
    }

    private func apply(_ option: CurlOption, _ request: HTTPRequest) throws(HTTPError) {
        switch option {
        case .awsSigV4(let provider): try set(CURLOPT_AWS_SIGV4, provider, request)
        case .userPassword(let credentials): try set(CURLOPT_USERPWD, credentials, request)
        case .clientCertificate(let pem):
            try set(CURLOPT_SSLCERTTYPE, "PEM", request)
            try setBlob(CURLOPT_SSLCERT_BLOB, pem, request)
        case .clientKey(let pem):
            try set(CURLOPT_SSLKEYTYPE, "PEM", request)
            try setBlob(CURLOPT_SSLKEY_BLOB, pem, request)
        case .certificateAuthorities(let pem): try setBlob(CURLOPT_CAINFO_BLOB, pem, request)
        case .skipTLSVerification:
            try set(CURLOPT_SSL_VERIFYPEER, 0, request)
            try set(CURLOPT_SSL_VERIFYHOST, 0, request)
        }
    }

    private func makeHeaderList(_ request: HTTPRequest) throws(HTTPError) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for header in request.headers {
            let name = header.name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(":"), !(name + header.value).contains(where: \.isNewline) else {
                ccurl_slist_free_all(list)
                throw failure(.invalidRequest, request, "the header '\(header.name)' is malformed or has a line break")
            }
            // libcurl sends `Name;` as a header with an empty value (`Name:` would remove the header).
            list = ccurl_slist_append(list, header.value.isEmpty ? "\(name);" : "\(name): \(header.value)")
        }
        let signed = request.options.contains { if case .awsSigV4 = $0 { true } else { false } }
        if !signed, !request.headers.contains(where: { $0.name.lowercased() == "expect" }) {
            // No `Expect: 100-continue` wait before large bodies: some servers never answer it. Not for SigV4: libcurl
            // before 8.x signs this removal as a header `expect:` it never sends, and AWS refuses the signature.
            list = ccurl_slist_append(list, "Expect:")
        }
        return list
    }

    private func set(_ option: CURLoption, _ value: Int, _ request: HTTPRequest) throws(HTTPError) {
        try check(ccurl_setopt_long(handle, option, value), option, request)
    }

    private func set(_ option: CURLoption, _ value: String, _ request: HTTPRequest) throws(HTTPError) {
        try check(ccurl_setopt_string(handle, option, value), option, request)
    }

    private func setBlob(_ option: CURLoption, _ bytes: [UInt8], _ request: HTTPRequest) throws(HTTPError) {
        // CURL_BLOB_COPY: libcurl copies the bytes during the call.
        let code = bytes.withUnsafeBytes { buffer in
            var blob = curl_blob(
                data: UnsafeMutableRawPointer(mutating: buffer.baseAddress), len: buffer.count,
                flags: UInt32(CURL_BLOB_COPY))
            return ccurl_setopt_blob(handle, option, &blob)
        }
        try check(code, option, request)
    }

    private func check(_ code: CURLcode, _ option: CURLoption, _ request: HTTPRequest) throws(HTTPError) {
        guard code == CURLE_OK else {
            let reason = "libcurl refused option \(option.rawValue): \(String(cString: ccurl_easy_strerror(code)))"
            throw failure(.invalidRequest, request, reason + "; check that libcurl is recent enough")
        }
    }

    // MARK: - Errors

    private func failure(_ code: HTTPError.Code, _ request: HTTPRequest, _ reason: String) -> HTTPError {
        HTTPError(code, method: request.method.uppercased(), url: request.url, reason: reason)
    }

    /// One line for a failed transfer: what happened, in words, and what to check.
    private func error(for code: CURLcode, _ request: HTTPRequest) -> HTTPError {
        let buffered = String(cString: errorBuffer)
        let detail = buffered.isEmpty ? String(cString: ccurl_easy_strerror(code)) : buffered
        let components = URLComponents(string: request.url)
        let host = components?.host ?? "the host"
        let port = components?.port ?? (components?.scheme?.lowercased() == "https" ? 443 : 80)
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL:
            return failure(.invalidRequest, request, "\(detail); use an http:// or https:// URL")
        case CURLE_URL_MALFORMAT:
            return failure(.invalidRequest, request, "the URL is malformed (\(detail)); check it")
        case CURLE_COULDNT_RESOLVE_PROXY:
            return failure(
                .connectionFailed, request,
                "could not resolve the proxy's host (\(detail)); check https_proxy, HTTPS_PROXY and NO_PROXY")
        case CURLE_COULDNT_RESOLVE_HOST:
            return failure(
                .unresolvedHost, request, "could not resolve host '\(host)'; check the URL's host name and DNS")
        case CURLE_COULDNT_CONNECT:
            var systemError = 0
            _ = ccurl_getinfo_long(handle, CURLINFO_OS_ERRNO, &systemError)
            if systemError == Int(ECONNREFUSED) {
                return failure(
                    .connectionRefused, request,
                    "connection refused by \(host) port \(port); check that the service is running and listening there")
            }
            let cause = systemError == 0 ? detail : String(cString: strerror(Int32(systemError)))
            return failure(
                .connectionFailed, request,
                "could not connect to \(host) port \(port) (\(cause)); check the address, firewalls and proxies")
        case CURLE_OPERATION_TIMEDOUT:
            return failure(
                .timedOut, request,
                "timed out after \(Self.seconds(request.timeout)); check that the service responds, or allow it longer")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CONNECT_ERROR,
            CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CIPHER, CURLE_SSL_CRL_BADFILE:
            return failure(
                .tls, request,
                "TLS problem with \(host): \(detail); check the server's certificate chain and host name, "
                    + "and the trusted CA certificates")
        case CURLE_TOO_MANY_REDIRECTS:
            return failure(
                .tooManyRedirects, request,
                "stopped after \(request.maxRedirects) redirects; check the URL and the server's Location headers")
        case CURLE_GOT_NOTHING:
            return failure(
                .transferFailed, request, "the server closed the connection without a response; check its logs")
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR:
            return failure(
                .transferFailed, request,
                "the connection broke off (\(detail)); check the service and any proxy between")
        default:
            return failure(.transferFailed, request, "\(detail) (curl error \(code.rawValue))")
        }
    }

    /// `2 s`, `0.5 s`.
    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = Int(duration / .milliseconds(1))
        return milliseconds % 1000 == 0
            ? "\(milliseconds / 1000) s" : String(format: "%g s", Double(milliseconds) / 1000)
    }
}
