import CLibPQ
import Foundation

/// One libpq connection: the only code that talks to libpq.
///
/// Not `Sendable`: a connection is used by one thread at a time (a `pg.*` step opens, uses and closes it on a thread
/// of its own; the PostgreSQL store confines each of its connections to a serial queue). Every wait on the server is a
/// 100 ms `poll` that checks `isCancelled`, so a cancelled task gets its statement cancelled on the server
/// (`PQcancel`) and its thread back at once.
public final class PostgresConnection {
    /// The connect timeout when neither the connection string, the service nor `PGCONNECT_TIMEOUT` sets one.
    public static let defaultConnectTimeout = 10

    let libpq: cpq_functions
    let handle: OpaquePointer
    private let isCancelled: @Sendable () -> Bool
    /// The password libpq uses, so messages can never show it.
    private let password: String?

    private init(libpq: cpq_functions, handle: OpaquePointer, isCancelled: @escaping @Sendable () -> Bool) {
        self.libpq = libpq
        self.handle = handle
        self.isCancelled = isCancelled
        self.password = Self.option("password", of: handle, libpq).flatMap { $0.isEmpty ? nil : $0 }
    }

    deinit {
        libpq.PQfinish(handle)
    }

    /// Where the connection goes (or went, when connecting failed).
    public var endpoint: PostgresEndpoint {
        PostgresEndpoint(
            host: text(libpq.PQhost(handle)), port: text(libpq.PQport(handle)), database: text(libpq.PQdb(handle)),
            user: text(libpq.PQuser(handle)))
    }

    /// Connects with `conninfo` (a key=value string, a URI, or empty for libpq's defaults), blocking the calling thread.
    ///
    /// Everything libpq reads applies (`PG*` variables, `~/.pgpass`, `pg_service.conf`); `application_name` is
    /// `runbook` unless one of those sets it, and the connect timeout is 10 s unless one of them sets it.
    /// - Parameters:
    ///   - conninfo: The connection string.
    ///   - isCancelled: Read while waiting on the server; when it turns true the wait ends (and the running statement
    ///     is cancelled on the server).
    /// - Returns: the connection, or a failure with the endpoint it tried.
    public static func connect(
        _ conninfo: String, isCancelled: @escaping @Sendable () -> Bool = { false }
    ) -> Result<PostgresConnection, Failure> {
        guard let libpq = LibPQ.functions else {
            let error = PostgresError(.connectionFailed, LibPQ.loadError)
            return .failure(Failure(error: error, endpoint: PostgresEndpoint(host: "", port: "", database: "", user: "")))
        }
        let keywords = ["dbname", "fallback_application_name"]
        let values = [conninfo, "runbook"]
        let started = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in libpq.PQconnectStartParams(keywordPointers, valuePointers, 1) }
        }
        guard let started else {
            let error = PostgresError(.connectionFailed, "libpq could not allocate a connection")
            return .failure(Failure(error: error, endpoint: PostgresEndpoint(host: "", port: "", database: "", user: "")))
        }
        let connection = PostgresConnection(libpq: libpq, handle: started, isCancelled: isCancelled)
        do throws(PostgresError) {
            try connection.finishConnecting()
        } catch {
            return .failure(Failure(error: error, endpoint: connection.endpoint))
        }
        _ = libpq.PQsetNoticeProcessor(connection.handle, { _, _ in }, nil)
        return .success(connection)
    }

    /// A failed connection attempt: why, and where it went.
    public struct Failure: Error, Sendable {
        /// Why.
        public var error: PostgresError
        /// Where.
        public var endpoint: PostgresEndpoint
    }

    /// Whether the connection is broken (the server went away, or terminated this session).
    public var isBroken: Bool { libpq.PQstatus(handle) == CONNECTION_BAD }

    /// Runs one statement with its parameters bound as text (`$1`, `$2`, …; nil is NULL) and returns its rows.
    /// - Throws: `PostgresError` when the server refuses it, the connection breaks, or the task is cancelled.
    public func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> [PostgresRow] {
        var rows: [PostgresRow] = []
        try run(sql, parameters) { result in rows = Self.rows(of: result, libpq) }
        return rows
    }

    /// Runs one statement with its parameters bound as text, lending each row of its result to `body`; the row (and
    /// the bytes it lends) is valid only inside `body`.
    /// - Throws: `PostgresError` when the server refuses it, the connection breaks, or the task is cancelled.
    public func query(
        _ sql: String, _ parameters: [String?] = [], eachRow body: (PostgresResultRow) -> Void
    ) throws(PostgresError) {
        try run(sql, parameters) { result in
            for row in 0..<libpq.PQntuples(result) { body(PostgresResultRow(result: result, row: row, libpq: libpq)) }
        }
    }

    /// Runs statements that take no parameters, separated by semicolons (a schema script, `BEGIN; …`), as one simple
    /// query, lending each row of every statement's result to `body` (``PostgresResultRow/columnCount`` tells the
    /// statements apart).
    /// - Throws: `PostgresError` for the first statement that fails; those after it do not run.
    public func execute(_ script: String, eachRow body: (PostgresResultRow) -> Void = { _ in }) throws(PostgresError) {
        try send { libpq.PQsendQuery(handle, script) } handling: { result in
            for row in 0..<libpq.PQntuples(result) { body(PostgresResultRow(result: result, row: row, libpq: libpq)) }
        }
    }

    /// Sends one statement and hands each successful result to `handle`.
    func run(
        _ sql: String, _ parameters: [String?], _ handle: (OpaquePointer) -> Void
    ) throws(PostgresError) {
        try send {
            withCStrings(parameters) { values in
                libpq.PQsendQueryParams(self.handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
            }
        } handling: { result in handle(result) }
    }

    /// Sends what `sending` sends, then reads every result, handing the successful ones to `handle` and throwing the
    /// first failure once all are read (so the connection is ready for the next statement).
    private func send(
        _ sending: () -> Int32, handling handle: (OpaquePointer) -> Void
    ) throws(PostgresError) {
        guard !isCancelled() else { throw PostgresError(.cancelled, "cancelled") }
        guard sending() == 1 else { throw PostgresError(.connectionLost, lastError()) }
        var error: PostgresError?
        while let result = try nextResult() {
            defer { libpq.PQclear(result) }
            switch libpq.PQresultStatus(result) {
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                if error == nil { handle(result) }
            default:
                error = error ?? resultError(result)
            }
        }
        if let error { throw error }
    }

    // MARK: - Waiting

    /// Drives `PQconnectPoll` until connected, failed, timed out or cancelled.
    private func finishConnecting() throws(PostgresError) {
        guard libpq.PQstatus(handle) != CONNECTION_BAD else { throw PostgresError.classifyingConnection(lastError()) }
        let configured = Self.option("connect_timeout", of: handle, libpq).flatMap { Int($0) } ?? 0
        // libpq treats anything below 2 s as 2 s, and 0 as no limit; runbook always has one.
        let seconds = configured > 0 ? max(2, configured) : Self.defaultConnectTimeout
        let deadline = ContinuousClock.now + .seconds(seconds)
        var state = PGRES_POLLING_WRITING
        while true {
            switch state {
            case PGRES_POLLING_OK:
                return
            case PGRES_POLLING_FAILED:
                throw PostgresError.classifyingConnection(lastError())
            default:
                while !waitForSocket(reading: state == PGRES_POLLING_READING) {
                    if isCancelled() { throw PostgresError(.cancelled, "cancelled while connecting") }
                    if ContinuousClock.now >= deadline {
                        throw PostgresError(.timedOut, "the server did not accept the connection within \(seconds) s")
                    }
                }
            }
            state = libpq.PQconnectPoll(handle)
        }
    }

    /// The next result of the running statement, waiting for it; nil when the statement is done.
    func nextResult() throws(PostgresError) -> OpaquePointer? {
        while libpq.PQisBusy(handle) == 1 {
            if isCancelled() {
                cancelOnServer()
                throw PostgresError(.cancelled, "cancelled")
            }
            if waitForSocket(reading: true), libpq.PQconsumeInput(handle) != 1 {
                throw PostgresError(.connectionLost, lastError())
            }
        }
        return libpq.PQgetResult(handle)
    }

    /// Waits up to 100 ms for the socket to be readable (or writable); true when it is, or has an error to report.
    func waitForSocket(reading: Bool, milliseconds: Int32 = 100) -> Bool {
        let socket = libpq.PQsocket(handle)
        guard socket >= 0 else { return true }
        var descriptor = pollfd(fd: socket, events: Int16(reading ? POLLIN : POLLOUT), revents: 0)
        return poll(&descriptor, 1, milliseconds) != 0
    }

    /// Asks the server to cancel the running statement, on a thread of its own: the cancel request opens a
    /// connection of its own, which must not hold up the cancelled task.
    private func cancelOnServer() {
        guard let cancel = libpq.PQgetCancel(handle) else { return }
        let request = CancelRequest(cancel, libpq)
        let thread = Thread { request.send() }
        thread.name = "runbook-pq-cancel"
        thread.start()
    }

    // MARK: - Results and errors

    private static func rows(of result: OpaquePointer, _ libpq: cpq_functions) -> [PostgresRow] {
        let columns = (0..<libpq.PQnfields(result)).map { text(libpq.PQfname(result, $0)) }
        return (0..<libpq.PQntuples(result)).map { row in
            var values: [String: String] = [:]
            for (index, name) in columns.enumerated() where libpq.PQgetisnull(result, row, Int32(index)) == 0 {
                values[name] = text(libpq.PQgetvalue(result, row, Int32(index)))
            }
            return PostgresRow(values: values)
        }
    }

    func resultError(_ result: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let text = libpq.PQresultErrorField(result, Int32(ascii)) else { return nil }
            return String(cString: text)
        }
        guard libpq.PQstatus(handle) != CONNECTION_BAD else { return PostgresError(.connectionLost, lastError()) }
        let sqlState = field("C")
        if sqlState == "57014", isCancelled() { return PostgresError(.cancelled, "cancelled") }
        var message = field("M") ?? text(libpq.PQresultErrorMessage(result))
        if let detail = field("D") { message += " (\(detail))" }
        return PostgresError(.server, hidingPassword(in: message), sqlState: sqlState)
    }

    /// libpq's latest message on one line: its lines joined, its `connection to server … failed:` prefixes and
    /// `FATAL:` markers dropped (the endpoint is named separately), and the password masked.
    func lastError() -> String {
        let lines = text(libpq.PQerrorMessage(handle)).split(whereSeparator: \.isNewline).map { line in
            var text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("connection to server"), let failed = text.range(of: " failed: ") {
                text = String(text[failed.upperBound...])
            }
            for marker in ["FATAL:", "ERROR:"] where text.hasPrefix(marker) {
                text = text.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
            }
            return text
        }
        var unique: [String] = []
        for line in lines where !line.isEmpty && !unique.contains(line) { unique.append(line) }
        let message = unique.joined(separator: "; ")
        return hidingPassword(in: message.isEmpty ? "libpq gave no reason" : message)
    }

    /// `text` with the password replaced by `***`, and the quoted pieces of a rejected connection string (`missing "="
    /// after "…"`, which may be the password) replaced by `"…"`.
    private func hidingPassword(in text: String) -> String {
        var result = text
        if let password { result = result.replacingOccurrences(of: password, with: "***") }
        if result.contains("connection info string") || result.contains("URI") || result.contains("percent-encoded") {
            result = result.replacing(/"([^"]*)"/) { $0.output.1 == "=" ? "\"=\"" : "\"…\"" }
        }
        return result
    }

    /// The value libpq settled on for the connection option `keyword`.
    private static func option(_ keyword: String, of handle: OpaquePointer, _ libpq: cpq_functions) -> String? {
        guard let options = libpq.PQconninfo(handle) else { return nil }
        defer { libpq.PQconninfoFree(options) }
        var index = 0
        while let name = options[index].keyword {
            if String(cString: name) == keyword { return options[index].val.map { String(cString: $0) } }
            index += 1
        }
        return nil
    }
}

/// A cancel request handed from the connection's thread to the thread that sends it, which then owns and frees it.
private final class CancelRequest: @unchecked Sendable {
    // Safe to send: after the hand-off only the sending thread touches `cancel` (libpq's PGcancel is thread-safe).
    private let cancel: OpaquePointer
    private let libpq: cpq_functions

    init(_ cancel: OpaquePointer, _ libpq: cpq_functions) {
        self.cancel = cancel
        self.libpq = libpq
    }

    func send() {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = libpq.PQcancel(cancel, &buffer, Int32(buffer.count))
        libpq.PQfreeCancel(cancel)
    }
}

/// Calls `body` with `strings` as a C array of C strings (nil stays NULL), terminated by a NULL entry.
func withCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let copies = strings.map { $0.flatMap { strdup($0) } }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// The text libpq returned, or "" for NULL.
private func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
}
