import CSQLite

extension SQLiteDatabase {
    /// A SQLite call that did not succeed: its result code and message.
    struct Failure: Error, Sendable, CustomStringConvertible {
        /// The primary result code (`SQLITE_BUSY`, `SQLITE_CORRUPT`, ...).
        var code: Int32
        /// SQLite's message, e.g. `unable to open database file`.
        var message: String

        /// Creates a failure.
        init(code: Int32, message: String) {
            self.code = code & 0xFF
            self.message = message
        }

        /// The message.
        var description: String { message }

        /// Another connection held the lock for longer than the busy timeout.
        var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

        /// The file is damaged or is not a SQLite database.
        var isCorrupt: Bool { code == SQLITE_CORRUPT || code == SQLITE_NOTADB }

        /// The file or its directory cannot be opened or written.
        var isPermission: Bool { code == SQLITE_CANTOPEN || code == SQLITE_READONLY || code == SQLITE_PERM }

        /// The disk is full.
        var isFull: Bool { code == SQLITE_FULL }

        /// The failure reported for work on a closed connection.
        static var closed: Failure { Failure(code: SQLITE_MISUSE, message: "the store was closed") }

        /// A failure of our own making, with `message`.
        static func other(_ message: String) -> Failure {
            Failure(code: SQLITE_ERROR, message: message)
        }

        /// A trigger refused the statement (`RAISE(ABORT, …)`).
        var isConstraint: Bool { code == SQLITE_CONSTRAINT }

        /// The failure may come from one statement's values (an oversized string, a refused row) rather than from
        /// the database, so retrying other statements alone may succeed.
        var mayBeCausedByValues: Bool {
            code == SQLITE_TOOBIG || code == SQLITE_CONSTRAINT || code == SQLITE_MISMATCH || code == SQLITE_RANGE
        }
    }

    /// A value bound to a statement's `?` parameter.
    enum Argument: Sendable {
        /// SQL `NULL`.
        case null
        /// An integer.
        case integer(Int64)
        /// Text.
        case text(String)
        /// Text given as UTF-8 bytes.
        case utf8([UInt8])

        /// Text, or `NULL` for nil.
        static func textOrNull(_ text: String?) -> Argument {
            text.map { .text($0) } ?? .null
        }
    }
}
