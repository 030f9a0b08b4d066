/// Per-token rate limits: a bucket of `burst` requests for each caller, refilled at `rate` a second. A caller whose
/// bucket is empty is told how many whole seconds to wait (`Retry-After`).
actor RateLimiter {
    private struct Bucket {
        var tokens: Double
        var filled: ContinuousClock.Instant
    }

    private var buckets: [String: Bucket] = [:]
    private let clock = ContinuousClock()

    /// Takes one request from `caller`'s bucket, refilled at `rate` a second up to `burst`.
    /// - Returns: nil when the request may go ahead, else the seconds to wait before the next one would.
    func take(_ caller: String, rate: Int, burst: Int) -> Int? {
        let now = clock.now
        var bucket = buckets[caller] ?? Bucket(tokens: Double(burst), filled: now)
        let elapsed = now - bucket.filled
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        bucket.tokens = min(Double(burst), bucket.tokens + seconds * Double(rate))
        bucket.filled = now
        defer { buckets[caller] = bucket }
        guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / Double(rate)).rounded(.up))) }
        bucket.tokens -= 1
        return nil
    }
}
