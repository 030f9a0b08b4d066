import Foundation

extension MetricQuery {
    /// One value of the metric and the start of its period.
    typealias Datapoint = (time: Date, value: Double)

    /// The datapoints from `window` ago to now, oldest first, read with `GetMetricData` through every page.
    /// - Throws: `AWSError` when CloudWatch cannot be read.
    func datapoints(_ client: AWSClient) async throws(AWSError) -> [Datapoint] {
        let end = Date.now
        var request = Request(queries: [dataQuery], start: end.addingTimeInterval(-window), end: end)
        var points: [Datapoint] = []
        repeat {
            let page: Response = try await client.call("GetMetricData", request)
            for result in page.results ?? [] {
                points += zip(result.timestamps ?? [], result.values ?? []).map { ($0, $1) }
            }
            request.nextToken = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while request.nextToken != nil
        return points.sorted { $0.time < $1.time }
    }

    private struct Request: Encodable {
        var queries: [DataQuery]
        var start: Date
        var end: Date
        var scanBy = "TimestampAscending"
        var nextToken: String?

        enum CodingKeys: String, CodingKey {
            case queries = "MetricDataQueries", start = "StartTime", end = "EndTime", scanBy = "ScanBy"
            case nextToken = "NextToken"
        }
    }

    private struct Response: Decodable {
        struct Result: Decodable {
            var timestamps: [Date]?
            var values: [Double]?

            enum CodingKeys: String, CodingKey {
                case timestamps = "Timestamps", values = "Values"
            }
        }
        var results: [Result]?
        var nextToken: String?

        enum CodingKeys: String, CodingKey {
            case results = "MetricDataResults", nextToken = "NextToken"
        }
    }
}
