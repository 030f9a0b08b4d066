/// A ``SQLiteDatabase`` confined to its own serial dispatch queue.
typealias SQLiteConnection = StoreConnection<SQLiteDatabase>

extension StoreConnection where Database == SQLiteDatabase {
    /// The database file.
    var path: String { name }

    /// Opens a connection to `path`, blocking the caller while SQLite opens the file.
    /// - Parameters:
    ///   - path: The database file; its directory is created if missing.
    ///   - role: A word for the queue's label, e.g. `reader`.
    /// - Throws: ``SQLiteDatabase/Failure`` when the file cannot be opened.
    convenience init(path: String, role: String) throws(SQLiteDatabase.Failure) {
        self.init(name: path, label: "runbook.store.sqlite.\(role)", database: try SQLiteDatabase(path: path))
    }
}
