extension SQLiteEventStore {
    /// Recomputes the whole chain from the stored lines and names the first record that does not match (see
    /// ``ChainVerification/verify(_:)``), in one read transaction of the reader connection.
    /// - Returns: The number of records checked up to the first bad one, that record and why, and the last good head.
    /// - Throws: ``StoreError`` when the store cannot be read at all.
    public func verify() async throws(StoreError) -> VerificationReport {
        try await read { database throws(SQLiteDatabase.Failure) in try ChainVerification.verify(database) }
    }
}
