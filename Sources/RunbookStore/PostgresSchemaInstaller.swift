import RunbookPostgres

/// Creates and checks the PostgreSQL store's schema.
enum PostgresSchemaInstaller {
    /// Fails unless the database holds this runbook's schema version.
    /// - Throws: ``PostgresStoreFailure`` saying to run `runbook store init` (no schema) or to upgrade runbook.
    static func check(_ database: PostgresStoreDatabase) throws(PostgresStoreFailure) {
        guard let found = try installedVersion(database) else {
            throw .other(
                "the database has no runbook store in its current schema; create it with `runbook store init` as "
                    + "the role that will own it (docs/store-postgres.md)", sqlState: "42P01", at: database.endpoint)
        }
        try refuseNewer(found, at: database.endpoint)
        try refuseOlder(found, at: database.endpoint)
    }

    /// Creates what is missing, in one transaction holding the append lock, and grants `writer` what it needs.
    /// - Returns: Whether the schema was created.
    static func install(_ database: PostgresStoreDatabase, writer: String?) throws(PostgresStoreFailure) -> Bool {
        var encoding = ""
        try database.using { connection throws(PostgresError) in
            try connection.query(PostgresSchema.serverEncoding) { row in encoding = row.text(0) ?? "" }
        }
        guard encoding == "UTF8" || encoding == "SQL_ASCII" else {
            throw .other(
                "the database's encoding is \(encoding); the store needs UTF8 (CREATE DATABASE … ENCODING 'UTF8')",
                at: database.endpoint)
        }
        return try database.transaction("BEGIN; \(PostgresSchema.lock)") { () throws(PostgresStoreFailure) in
            let found = try installedVersion(database)
            if let found {
                try refuseNewer(found, at: database.endpoint)
                try refuseOlder(found, at: database.endpoint)
            }
            try database.using { connection throws(PostgresError) in
                if found == nil { try connection.execute(PostgresSchema.create) }
                guard let writer else { return }
                var schema = ""
                try connection.query(PostgresSchema.currentSchema) { row in schema = row.text(0) ?? "" }
                try connection.execute(PostgresSchema.writerGrants(schema: schema, role: writer))
            }
            return found == nil
        }
    }

    /// Brings the store forward to this runbook's schema version, one version at a time, in one transaction holding
    /// the append lock (so no writer appends meanwhile, and a failure leaves the store as it was).
    /// - Returns: The version found, and the summary of each migration applied (none when it was current).
    static func migrate(_ database: PostgresStoreDatabase) throws(PostgresStoreFailure)
        -> (from: Int64, applied: [String])
    {
        try database.transaction("BEGIN; \(PostgresSchema.lock)") { () throws(PostgresStoreFailure) in
            guard let found = try installedVersion(database) else {
                throw .other(
                    "the database has no runbook store in its current schema to migrate; create it with "
                        + "`runbook store init`", sqlState: "42P01", at: database.endpoint)
            }
            try refuseNewer(found, at: database.endpoint)
            var applied: [String] = []
            var version = found
            while version < PostgresSchema.version {
                guard let step = PostgresSchema.migrations[version] else {
                    throw .other("no migration from schema version \(version) is known", at: database.endpoint)
                }
                try database.using { connection throws(PostgresError) in
                    try connection.execute(step.sql + "; " + PostgresSchema.setVersion(version + 1))
                }
                applied.append("\(version) → \(version + 1): \(step.summary)")
                version += 1
            }
            return (found, applied)
        }
    }

    /// The recorded schema version, or nil when the current schema has no store.
    private static func installedVersion(_ database: PostgresStoreDatabase) throws(PostgresStoreFailure) -> Int64? {
        try database.using { connection throws(PostgresError) in
            var installed = false
            try connection.query(PostgresSchema.isInstalled) { row in installed = row.text(0) == "t" }
            guard installed else { return nil }
            var version: Int64 = 0
            try connection.query(PostgresSchema.installedVersion) { row in version = row.integer(0) }
            return version
        }
    }

    /// Fails for a schema from an older runbook: it is brought forward only when someone asks, never silently.
    private static func refuseOlder(_ found: Int64, at endpoint: PostgresEndpoint) throws(PostgresStoreFailure) {
        guard found < PostgresSchema.version else { return }
        throw .other(
            "its schema is version \(found), older than this runbook's \(PostgresSchema.version); bring it forward "
                + "with `runbook store migrate` as the role that owns it (docs/store-postgres.md)", at: endpoint)
    }

    /// Fails for a schema from a newer runbook.
    private static func refuseNewer(_ found: Int64, at endpoint: PostgresEndpoint) throws(PostgresStoreFailure) {
        guard found > PostgresSchema.version else { return }
        throw .other(
            "it was written by a newer runbook (schema version \(found), this one reads \(PostgresSchema.version)); "
                + "upgrade runbook", at: endpoint)
    }
}
