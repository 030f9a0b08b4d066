extension Duration {
    /// The whole milliseconds in the duration, as events record them (`duration_ms`, `delay_ms`).
    var wholeMilliseconds: Int64 {
        components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000
    }
}
