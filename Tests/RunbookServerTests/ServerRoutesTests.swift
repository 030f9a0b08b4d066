import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RunbookEngine
import RunbookLanguage
import RunbookStore
import RunbookTestPeers
import Testing

@testable import RunbookServer

/// A store whose appends fail with `code`, as a busy or damaged store's would.
struct FailingStore: EventStore {
    let code: StoreError.Code
    let inner = InMemoryEventStore()

    func append(_ drafts: [EventDraft]) async throws(StoreError) -> [AuditEvent] {
        throw StoreError("cannot append to the store test: it fails", code: code)
    }
    func append(_ drafts: [EventDraft], if condition: AppendCondition) async throws(StoreError) -> [AuditEvent]? {
        throw StoreError("cannot append to the store test: it fails", code: code)
    }
    func events(run: String) async throws(StoreError) -> [AuditEvent] { try await inner.events(run: run) }
    func events(run: String, after seq: Int64, types: [String]?) async throws(StoreError) -> [AuditEvent] {
        try await inner.events(run: run, after: seq, types: types)
    }
    func events(incident: String) async throws(StoreError) -> [AuditEvent] { try await inner.events(incident: incident) }
    func events(after seq: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        try await inner.events(after: seq, limit: limit)
    }
    func recentRuns(limit: Int) async throws(StoreError) -> [String] { try await inner.recentRuns(limit: limit) }
    func head() async throws(StoreError) -> AuditHead? { try await inner.head() }
    func waitForEvents(after seq: Int64, timeout: Duration) async throws(StoreError) -> Bool {
        try await inner.waitForEvents(after: seq, timeout: timeout)
    }
    func verify() async throws(StoreError) -> VerificationReport { try await inner.verify() }
}

/// The server's routes driven in process over an in-memory (or failing) store: no socket, no binary.
@Suite("Server routes in process")
struct ServerRoutesTests {
    static let tokens = ["alertmanager": "am-token", "alice": "alice-token", "bob": "bob-token"]

    /// The routes over `store`, with leases in `directory`.
    static func application(store: any EventStore, directory: TemporaryDirectory) throws -> some ApplicationProtocol {
        var config = RunbookConfig()
        config.serve.tokens = tokens.map { ServeToken(name: $0.key, token: $0.value) }
        let context = ServeContext(
            config: config, runbooks: [], environment: RunEnvironment(), workingDirectory: directory.path)
        let logger = Logger(label: "test")
        let listen = try #require(ListenAddress("127.0.0.1:1"))
        let dispatcher = RunDispatcher(
            store: store, stateDirectory: directory.path, context: context, listen: listen, metrics: ServerMetrics(),
            logger: logger)
        return Application(router: AlertServer.router(
            state: ServerState(context), dispatcher: dispatcher, store: store, stateDirectory: directory.path,
            metrics: ServerMetrics(), logger: logger))
    }

    static func bearer(_ holder: String) -> HTTPFields { [.authorization: "Bearer \(tokens[holder] ?? "")"] }

    static let alert = """
        {"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"X"},
        "annotations":{},"startsAt":"2026-12-04T10:00:00Z","endsAt":"0001-01-01T00:00:00Z"}]}
        """

    @Test("a webhook the store cannot record is answered 503 when busy and 500 when damaged", arguments: [
        (StoreError.Code.busy, HTTPResponse.Status.serviceUnavailable), (.corrupt, .internalServerError),
        (.unavailable, .serviceUnavailable),
    ])
    func storeFailures(_ code: StoreError.Code, _ status: HTTPResponse.Status) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let app = try Self.application(store: FailingStore(code: code), directory: directory)
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/hooks/alertmanager", method: .post, headers: Self.bearer("alertmanager"),
                body: ByteBuffer(string: Self.alert)
            ) { response in
                #expect(response.status == status)
            }
        }
    }

    @Test("answers through the API: the first decides, the second is 409 'decided', the alert's sender is 403")
    func gateAnswers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = InMemoryEventStore()
        _ = try await store.append([
            EventDraft(run: "r1", type: EventType.runStarted, actor: .user("alertmanager"),
                       data: ["runbook": "x", "alert": ["source": "alertmanager"]]),
            EventDraft(run: "r1", type: EventType.gateRequested, step: "act", actor: .system,
                       data: ["min_approvals": 1, "approvers": []]),
        ])
        let lease = try RunLease(directory: directory.path, run: "r1")
        let app = try Self.application(store: store, directory: directory)
        try await app.test(.router) { client in
            try await client.execute(uri: "/runs/r1/gates/act/approve", method: .post, headers: Self.bearer("alertmanager")) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/runs/r1/gates/act/approve", method: .post, headers: Self.bearer("alice")) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/runs/r1/gates/act/deny", method: .post, headers: Self.bearer("bob")) {
                #expect($0.status == .conflict)
                let body = try Value(jsonString: String(buffer: $0.body))
                #expect(body.member("code") == "decided")
                #expect(body.member("error").stringValue.contains("already approved by alice"))
            }
            try await client.execute(uri: "/runs", method: .get) { #expect($0.status == .unauthorized) }
        }
        withExtendedLifetime(lease) {}
        let answers = try await store.events(run: "r1").filter { $0.type == EventType.gateApproved || $0.type == EventType.gateDenied }
        #expect(answers.count == 1)
    }
}
