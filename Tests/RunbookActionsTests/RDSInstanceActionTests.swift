import Foundation
@testable import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("rds.instance against moto_server")
struct RDSInstanceActionTests {
    let environment = awsEnvironment()

    @Test func instanceStatusStorageEndpointAndFreeSpace() async throws {
        try await MotoPeer.with { moto in
            try moto.python(
                """
                rds.create_db_instance(DBInstanceIdentifier="orders-db", DBInstanceClass="db.m6g.large",
                    Engine="postgres", EngineVersion="15.4", AllocatedStorage=100, MaxAllocatedStorage=200,
                    StorageType="gp3", MasterUsername="app", MasterUserPassword="secret-password", MultiAZ=True)
                rds.create_db_instance_read_replica(DBInstanceIdentifier="orders-db-replica",
                    SourceDBInstanceIdentifier="orders-db")
                rds.create_db_instance(DBInstanceIdentifier="reports-db", DBInstanceClass="db.t4g.micro",
                    Engine="postgres", AllocatedStorage=20, MasterUsername="app", MasterUserPassword="secret-password")
                now = datetime.datetime.now(datetime.timezone.utc)
                cloudwatch.put_metric_data(Namespace="AWS/RDS", MetricData=[
                    {"MetricName": "FreeStorageSpace", "Value": 25 * 2**30, "Timestamp": now - datetime.timedelta(minutes=2),
                     "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "orders-db"}]}])
                """)
            let action = RDSInstanceAction(aws: environment)

            let orders = try await action.execute(awsContext(["instance": "orders-db"], endpoint: moto.endpoint))
            #expect(orders["status"] == "available")
            #expect(orders["class"] == "db.m6g.large")
            #expect(orders["engine"] == "postgres")
            #expect(orders["engine_version"] == "15.4")
            #expect(orders["multi_az"] == true)
            #expect(orders["storage_gb"] == 100)
            #expect(orders["max_storage_gb"] == 200)
            #expect(orders["storage_type"] == "gp3")
            #expect(orders["port"] == 5432)
            let endpoint = try #require(orders["endpoint"]?.stringValue)
            #expect(endpoint.hasPrefix("orders-db.") && endpoint.hasSuffix(".rds.amazonaws.com:5432"))
            #expect(orders["free_storage_gb"] == 25)
            #expect(orders["free_storage_percent"] == 25)
            #expect(orders["pending"] == false)
            #expect(orders["pending_modifications"] == .object([:]))
            #expect(orders["read_replicas"] == ["orders-db-replica"])
            #expect(orders["warnings"] == [])

            let reports = try await action.execute(awsContext(["instance": "reports-db"], endpoint: moto.endpoint))
            #expect(reports["multi_az"] == false)
            #expect(reports["free_storage_gb"] == .null)
            #expect(reports["free_storage_percent"] == .null)
            #expect(reports["max_storage_gb"] == .null)

            let missing = await outcome(of: action, awsContext(["instance": "nope"], endpoint: moto.endpoint))
            #expect(
                missing.failure?.message
                    == "DBInstanceNotFound: DB instance nope not found (environment 'test', region us-east-1)")
        }
    }

    @Test func requestsAreSignedQueryCalls() async throws {
        try await TestHTTPServer.with { server in
            let result = await outcome(
                of: RDSInstanceAction(aws: environment),
                awsContext(["instance": "orders db/1"], endpoint: server.url("/status/200")))
            let request = try #require(server.requests().first)
            #expect(request.method == "POST")
            #expect(request.body == "Action=DescribeDBInstances&DBInstanceIdentifier=orders%20db%2F1&Version=2014-10-31")
            #expect(request.headers["content-type"] == "application/x-www-form-urlencoded; charset=utf-8")
            #expect(request.headers["authorization"]?.contains("/us-east-1/rds/aws4_request") == true)
            #expect(
                contains(
                    result.failure?.message, all: "RDS DescribeDBInstances at ", "returned a response runbook cannot read"))
        }
    }

    /// Pending modifications as the RDS API reference describes `PendingModifiedValues` (moto applies every
    /// modification at once, so it never reports one).
    @Test func pendingModificationsAreReadByField() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <DBInstance><DBInstanceIdentifier>orders-db</DBInstanceIdentifier>
              <DBInstanceStatus>available</DBInstanceStatus>
              <PendingModifiedValues>
                <DBInstanceClass>db.m6g.xlarge</DBInstanceClass><AllocatedStorage>200</AllocatedStorage>
                <ProcessorFeatures><ProcessorFeature><Name>coreCount</Name><Value>4</Value></ProcessorFeature>
                </ProcessorFeatures>
              </PendingModifiedValues>
              <!-- a comment --><Endpoint/>
            </DBInstance>
            """
        let outputs = RDSInstanceAction.outputs(try XMLTree(parsing: Array(xml.utf8)))
        #expect(outputs["pending"] == true)
        #expect(
            outputs["pending_modifications"]
                == [
                    "DBInstanceClass": "db.m6g.xlarge", "AllocatedStorage": "200",
                    "ProcessorFeatures": ["ProcessorFeature": ["Name": "coreCount", "Value": "4"]],
                ])
        #expect(outputs["endpoint"] == "")
        #expect(outputs["port"] == .null)
    }
}
