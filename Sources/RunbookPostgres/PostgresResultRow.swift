import CLibPQ

/// One row of a result, lent by ``PostgresConnection/query(_:_:eachRow:)`` without copying its values; valid only
/// inside the call that lends it. Columns are numbered from 0 in the statement's order; values are in text format.
public struct PostgresResultRow {
    /// The result the row belongs to.
    private let result: OpaquePointer
    /// The row's number in it.
    private let row: Int32
    /// libpq's functions.
    private let libpq: cpq_functions

    /// A view of row `row` of `result`.
    init(result: OpaquePointer, row: Int32, libpq: cpq_functions) {
        self.result = result
        self.row = row
        self.libpq = libpq
    }

    /// The number of columns.
    public var columnCount: Int32 { libpq.PQnfields(result) }

    /// Whether the column holds SQL `NULL`.
    public func isNull(_ column: Int32) -> Bool {
        libpq.PQgetisnull(result, row, column) == 1
    }

    /// The column's bytes, not copied (empty for `NULL`); valid only inside the call that lent the row.
    public func utf8(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let value = libpq.PQgetvalue(result, row, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        let count = Int(libpq.PQgetlength(result, row, column))
        return UnsafeRawPointer(value).withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
            UnsafeBufferPointer(start: bytes, count: count)
        }
    }

    /// The column as text, or nil for `NULL`.
    public func text(_ column: Int32) -> String? {
        isNull(column) ? nil : String(decoding: utf8(column), as: UTF8.self)
    }

    /// The column as an integer (`0` for `NULL` or text that is not one).
    public func integer(_ column: Int32) -> Int64 {
        var value: Int64 = 0
        var negative = false
        for byte in utf8(column) {
            if byte == UInt8(ascii: "-") {
                negative = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                value = value &* 10 &+ Int64(byte - UInt8(ascii: "0"))
            } else {
                return 0
            }
        }
        return negative ? -value : value
    }
}
