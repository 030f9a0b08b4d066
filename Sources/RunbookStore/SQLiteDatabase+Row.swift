import CSQLite

extension SQLiteDatabase {
    /// One result row, lent to a ``SQLiteDatabase/query(_:_:_:)`` body; valid only inside that body.
    struct Row {
        /// The statement positioned on this row.
        fileprivate let statement: OpaquePointer

        /// Creates a view of the statement's current row.
        init(statement: OpaquePointer) {
            self.statement = statement
        }

        /// Whether the column holds SQL `NULL`.
        func isNull(_ column: Int32) -> Bool {
            sqlite3_column_type(statement, column) == SQLITE_NULL
        }

        /// The column as an integer (`0` for `NULL`).
        func integer(_ column: Int32) -> Int64 {
            sqlite3_column_int64(statement, column)
        }

        /// The column as text, or nil for `NULL`.
        func text(_ column: Int32) -> String? {
            guard !isNull(column) else { return nil }
            return String(decoding: utf8(column), as: UTF8.self)
        }

        /// The column's UTF-8 bytes, not copied (empty for `NULL`).
        ///
        /// The bytes belong to SQLite and are valid only until the query body this row was lent to returns.
        func utf8(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
            let start = sqlite3_column_text(statement, column)
            let count = Int(sqlite3_column_bytes(statement, column))
            return UnsafeBufferPointer(start: start, count: start == nil ? 0 : count)
        }
    }
}
