import CLibPQ

/// One statement of a pipeline: its text and its parameters, bound as text (`$1`, `$2`, …; nil is NULL).
public struct PostgresPipelineStatement: Sendable {
    /// The statement, one only (no `;`-separated script).
    public var sql: String
    /// Its parameters.
    public var parameters: [String?]

    /// A statement with `parameters`.
    public init(_ sql: String, _ parameters: [String?] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

extension PostgresConnection {
    /// Whether the libpq loaded has pipeline mode (libpq 14 and later), so ``pipeline(_:eachRow:)`` sends its
    /// statements in one round trip and one implicit transaction.
    public var pipelines: Bool {
        libpq.PQenterPipelineMode != nil && libpq.PQexitPipelineMode != nil && libpq.PQpipelineSync != nil
    }

    /// Sends `statements` together and waits for all their results: one round trip instead of one per statement.
    ///
    /// With pipeline mode (``pipelines``), the statements are sent one after another and followed by a single sync,
    /// so outside an explicit `BEGIN` they run as one implicit transaction that commits at the sync; a statement that
    /// fails rolls that transaction back and skips the rest (inside an explicit transaction, it is left aborted, for
    /// the caller's `ROLLBACK`). Without pipeline mode they run one at a time, each its own round trip, and the first
    /// failure stops the rest: the same outcome only inside an explicit transaction.
    /// - Parameter body: Given each row of each statement's result with the statement's index; the row (and the
    ///   bytes it lends) is valid only inside `body`.
    /// - Throws: `PostgresError` for the first statement that failed, once every result is read.
    public func pipeline(
        _ statements: [PostgresPipelineStatement], eachRow body: (Int, PostgresResultRow) -> Void = { _, _ in }
    ) throws(PostgresError) {
        guard pipelines, let enter = libpq.PQenterPipelineMode, let exit = libpq.PQexitPipelineMode,
            let sync = libpq.PQpipelineSync
        else {
            for (index, statement) in statements.enumerated() {
                try run(statement.sql, statement.parameters) { result in
                    for row in 0..<libpq.PQntuples(result) {
                        body(index, PostgresResultRow(result: result, row: row, libpq: libpq))
                    }
                }
            }
            return
        }
        guard !statements.isEmpty else { return }
        guard enter(handle) == 1 else { throw PostgresError(.connectionLost, lastError()) }
        defer { _ = exit(handle) }
        for statement in statements {
            let sent = withCStrings(statement.parameters) { values in
                libpq.PQsendQueryParams(handle, statement.sql, Int32(statement.parameters.count), nil, values, nil, nil, 0)
            }
            guard sent == 1 else { throw PostgresError(.connectionLost, lastError()) }
        }
        guard sync(handle) == 1 else { throw PostgresError(.connectionLost, lastError()) }
        var error: PostgresError?
        // Each statement's results end with a NULL; the sync's own result follows the last of them.
        for index in statements.indices {
            while let result = try nextResult() {
                defer { libpq.PQclear(result) }
                switch libpq.PQresultStatus(result) {
                case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                    for row in 0..<libpq.PQntuples(result) {
                        body(index, PostgresResultRow(result: result, row: row, libpq: libpq))
                    }
                case PGRES_PIPELINE_ABORTED:
                    break
                default:
                    error = error ?? resultError(result)
                }
            }
        }
        guard let end = try nextResult() else { throw error ?? PostgresError(.connectionLost, lastError()) }
        let status = libpq.PQresultStatus(end)
        libpq.PQclear(end)
        if let error { throw error }
        guard status == PGRES_PIPELINE_SYNC else { throw PostgresError(.connectionLost, lastError()) }
    }
}
