/// One row of a result, its values as PostgreSQL's text output; SQL NULL is absent.
public struct PostgresRow: Sendable {
    /// The values by column name.
    public var values: [String: String]

    /// Creates a row.
    public init(values: [String: String]) {
        self.values = values
    }

    /// The column's text, nil for NULL (or a column the statement has not).
    public subscript(_ column: String) -> String? { values[column] }

    /// The column as an integer, nil for NULL or text that is not one.
    public func int(_ column: String) -> Int? { values[column].flatMap { Int($0) } }

    /// The column as a number, nil for NULL or text that is not one.
    public func double(_ column: String) -> Double? { values[column].flatMap { Double($0) } }

    /// The column's comma-separated integers (`array_to_string` of an int array); empty for NULL or ''.
    public func integers(_ column: String) -> [Int] {
        (values[column] ?? "").split(separator: ",").compactMap { Int($0) }
    }
}
