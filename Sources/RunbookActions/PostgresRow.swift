/// One row of a result, its values as PostgreSQL's text output; SQL NULL is absent.
struct PostgresRow: Sendable {
    /// The values by column name.
    var values: [String: String]

    /// The column's text, nil for NULL (or a column the statement has not).
    subscript(_ column: String) -> String? { values[column] }

    /// The column as an integer, nil for NULL or text that is not one.
    func int(_ column: String) -> Int? { values[column].flatMap { Int($0) } }

    /// The column as a number, nil for NULL or text that is not one.
    func double(_ column: String) -> Double? { values[column].flatMap { Double($0) } }

    /// The column's comma-separated integers (`array_to_string` of an int array); empty for NULL or ''.
    func integers(_ column: String) -> [Int] {
        (values[column] ?? "").split(separator: ",").compactMap { Int($0) }
    }
}
