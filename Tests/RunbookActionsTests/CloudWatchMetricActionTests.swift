import Foundation
@testable import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("cloudwatch.metric against moto_server")
struct CloudWatchMetricActionTests {
    let environment = awsEnvironment()
    let metric: [String: Value] = [
        "namespace": "AWS/ApplicationELB", "metric": "TargetResponseTime",
        "dimensions": ["LoadBalancer": "app/web/1"],
    ]

    /// `TargetResponseTime` of two load balancers: `app/web/1` at 0.2 s, 0.9 s and 1.5 s (5, 3 and 1 minutes ago,
    /// two samples a minute) and one datapoint 40 minutes ago; `app/other/2` at 9 s.
    private func seedMetrics(_ moto: MotoPeer) throws {
        try moto.python(
            """
            now = datetime.datetime.now(datetime.timezone.utc)
            def point(balancer, minutes, value):
                return {"MetricName": "TargetResponseTime", "Value": value,
                        "Timestamp": now - datetime.timedelta(minutes=minutes),
                        "Dimensions": [{"Name": "LoadBalancer", "Value": balancer}]}
            data = [point("app/web/1", m, v) for m, v in [(40, 7.0), (5, 0.1), (5, 0.3), (3, 0.9), (1, 1.0), (1, 2.0)]]
            data.append(point("app/other/2", 2, 9.0))
            cloudwatch.put_metric_data(Namespace="AWS/ApplicationELB", MetricData=data)
            """)
    }

    private func values(_ outputs: [String: Value]) -> [Double] {
        guard case .array(let points)? = outputs["datapoints"] else { return [] }
        return points.compactMap { point in
            guard case .object(let fields) = point else { return nil }
            return fields["value"]?.numericValue
        }
    }

    @Test func datapointsLatestMaxAndThreshold() async throws {
        try await MotoPeer.with { moto in
            try seedMetrics(moto)
            let action = CloudWatchMetricAction(aws: environment)
            func run(_ extra: [String: Value]) async throws -> [String: Value] {
                try await action.execute(awsContext(metric.merging(extra) { $1 }, endpoint: moto.endpoint))
            }

            let average = try await run(["threshold": 1.0])
            #expect(values(average) == [0.2, 0.9, 1.5])
            #expect(average["count"] == 3)
            #expect(average["latest"] == 1.5)
            #expect(average["max"] == 1.5)
            #expect(average["min"] == 0.2)
            #expect(average["breached"] == true)
            #expect(average["breaching"] == 1)
            let latestAt = try #require(average["latest_at"]?.stringValue)
            #expect(latestAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression) != nil)

            let maximum = try await run(["statistic": "Maximum", "threshold": "0.5", "breach_when": "below"])
            #expect(values(maximum) == [0.3, 0.9, 2.0])
            #expect(maximum["breached"] == false)
            #expect(maximum["breaching"] == 1)

            let hour = try await run(["statistic": "Sum", "window": "1h", "period": "5m"])
            #expect(abs(values(hour).reduce(0, +) - 11.3) < 1e-9)
            #expect(hour["breached"] == false)

            var other = metric
            other["dimensions"] = ["LoadBalancer": "app/none/3"]
            let empty = try await action.execute(awsContext(other, endpoint: moto.endpoint))
            #expect(empty["count"] == 0)
            #expect(empty["latest"] == .null)
            #expect(empty["breached"] == false)
        }
    }

    @Test func parametersCloudWatchWouldRefuseAreNamed() async throws {
        let action = CloudWatchMetricAction(aws: environment)
        func failure(_ extra: [String: Value]) async -> String? {
            await outcome(of: action, awsContext(metric.merging(extra) { $1 }, endpoint: "http://127.0.0.1:9"))
                .failure?.message
        }
        #expect(
            await failure(["statistic": "Mean"])
                == "cloudwatch.metric: 'statistic' must be one of Average, Sum, Minimum, Maximum, SampleCount or a "
                + "percentile such as 'p99', not 'Mean'")
        #expect(
            await failure(["period": "90s"])
                == "cloudwatch.metric: 'period' must be 1s, 5s, 10s, 30s or a whole number of minutes, not '90s'")
        #expect(
            await failure(["window": "30s", "period": "1m"])
                == "cloudwatch.metric: 'window' ('30s') is shorter than one period (60 s)")
        #expect(await failure(["threshold": "high"]) == "cloudwatch.metric: 'threshold' must be a number, not 'high'")
    }

    @Test func requestsAreSignedJSON10Calls() async throws {
        try await TestHTTPServer.with { server in
            let result = await outcome(
                of: CloudWatchMetricAction(aws: environment),
                awsContext(metric.merging(["statistic": "p99"]) { $1 }, endpoint: server.url("/status/200")))
            let request = try #require(server.requests().first)
            #expect(request.headers["x-amz-target"] == "GraniteServiceVersion20100801.GetMetricData")
            #expect(request.headers["content-type"] == "application/x-amz-json-1.0")
            #expect(request.headers["authorization"]?.contains("/us-east-1/monitoring/aws4_request") == true)
            let body = try #require(
                try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
            let queries = try #require(body["MetricDataQueries"] as? [[String: Any]])
            let stat = try #require(queries.first?["MetricStat"] as? [String: Any])
            #expect(stat["Stat"] as? String == "p99")
            #expect(stat["Period"] as? Int == 60)
            let start = try #require(body["StartTime"] as? Double)
            let end = try #require(body["EndTime"] as? Double)
            #expect(end - start == 900)
            #expect(abs(end - Date.now.timeIntervalSince1970) < 60)
            #expect(result.failure?.message.contains("CloudWatch GetMetricData") == true)
        }
    }
}
