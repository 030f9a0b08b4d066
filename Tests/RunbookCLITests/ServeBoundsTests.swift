import Foundation
import RunbookTestPeers
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `runbook serve` against clients that hold connections open or call too often: slow and silent connections are
/// closed within the configured seconds while `/healthz` stays fast, connections beyond the maximum are refused, and
/// a token over its rate gets 429 with `Retry-After`.
@Suite("runbook serve under attack", .timeLimit(.minutes(3)))
struct ServeBoundsTests {
    /// A loopback TCP connection to `port`; -1 when it cannot be made.
    static func connect(port: Int) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            return -1
        }
        return descriptor
    }

    /// Whether the server closed `descriptor` (a read gives end of file or a reset) within `seconds`.
    static func closedByServer(_ descriptor: Int32, within seconds: Double) -> Bool {
        var poll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard Glibc.poll(&poll, 1, Int32(seconds * 1_000)) == 1 else { return false }
        var byte: UInt8 = 0
        return read(descriptor, &byte, 1) <= 0
    }

    @Test("200 slow or silent connections are closed within the header timeout; /healthz answers meanwhile")
    func slowClients() throws {
        let server = try ServeInstance(
            serve: "  header_timeout: 2\n  idle_timeout: 2\n  max_connections: 400\n",
            runbooks: ["diagnose": ServeTests.catchAll])
        defer { server.stop() }
        let opened = ContinuousClock.now
        let descriptors = (0..<200).map { _ in Self.connect(port: server.port) }
        defer { descriptors.forEach { if $0 >= 0 { close($0) } } }
        #expect(descriptors.allSatisfy { $0 >= 0 })
        for descriptor in descriptors.enumerated() where descriptor.offset.isMultiple(of: 2) {
            _ = "GET /healthz HTTP/1.1\r\nHost: x\r\n".withCString { write(descriptor.element, $0, strlen($0)) }
        }
        let healthStart = ContinuousClock.now
        #expect(try server.request("GET", "/healthz").status == 200)
        #expect(ContinuousClock.now - healthStart < .seconds(1))
        let closed = descriptors.filter { Self.closedByServer($0, within: 6) }.count
        #expect(closed == 200)
        #expect(ContinuousClock.now - opened < .seconds(8))
    }

    @Test("connections beyond max_connections are closed at once; a token over its rate gets 429 with Retry-After")
    func limits() throws {
        let server = try ServeInstance(
            serve: "  max_connections: 20\n  rate_limit: 1\n  rate_burst: 2\n",
            runbooks: ["diagnose": ServeTests.catchAll])
        defer { server.stop() }
        let held = (0..<20).map { _ in Self.connect(port: server.port) }
        defer { held.forEach { if $0 >= 0 { close($0) } } }
        Thread.sleep(forTimeInterval: 0.3)
        let extra = Self.connect(port: server.port)
        defer { if extra >= 0 { close(extra) } }
        #expect(extra < 0 || Self.closedByServer(extra, within: 2))
        held.forEach { close($0) }
        Thread.sleep(forTimeInterval: 0.3)

        var statuses: [Int] = []
        var retryAfter = false
        for _ in 0..<5 {
            let outcome = try PeerProcess.run("/usr/bin/curl", [
                "-s", "-i", "-H", "Authorization: Bearer \(ServeInstance.tokens["alice"] ?? "")",
                "http://127.0.0.1:\(server.port)/runs",
            ])
            let status = outcome.stdout.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            statuses.append(status)
            if status == 429, outcome.stdout.lowercased().contains("retry-after:") { retryAfter = true }
        }
        #expect(statuses.prefix(2).allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(statuses.contains(429), "\(statuses)")
        #expect(retryAfter)
    }
}
