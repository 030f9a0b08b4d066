import Foundation
import RunbookTestPeers

/// A real HTTP server on a free loopback port (a small Python script), for the HTTP actions' tests.
///
/// Paths: `/status/N[?body=TEXT]` answers N; `/redirect/N` redirects N times, then `/status/200`; `/slow/SECONDS`
/// answers after a delay; `/big/BYTES` answers that many bytes; `/flaky/N/KEY` answers 503 the first N times.
/// Every request is recorded.
final class TestHTTPServer: Sendable {
    private static let script = #"""
        import http.server, json, os, ssl, sys, threading, time, urllib.parse

        record_path = sys.argv[2]
        lock = threading.Lock()
        counters = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                parts = url.path.strip("/").split("/")
                with lock:
                    counters[url.path] = counters.get(url.path, 0) + 1
                    count = counters[url.path]
                    with open(record_path, "a") as f:
                        f.write(json.dumps({
                            "method": self.command, "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body.decode("utf-8", "replace")}) + "\n")
                status, payload, extra = 404, b"not found", {}
                kind = parts[0]
                if kind == "status":
                    status = int(parts[1])
                    payload = query.get("body", ["status %d" % status])[0].encode()
                elif kind == "redirect":
                    remaining = int(parts[1])
                    status, payload = 302, b"moved"
                    extra["Location"] = "/redirect/%d" % (remaining - 1) if remaining > 1 else "/status/200"
                elif kind == "slow":
                    time.sleep(float(parts[1]))
                    status, payload = 200, b"finally"
                elif kind == "big":
                    status, payload = 200, b"x" * int(parts[1])
                elif kind == "flaky":
                    status = 503 if count <= int(parts[1]) else 200
                    payload = b"flaky"
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            def handle_one_request(self):
                try:
                    super().handle_one_request()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def __getattr__(self, name):
                if name.startswith("do_"):
                    return self.answer
                raise AttributeError(name)

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass

        server = Server(("127.0.0.1", 0), Handler)
        if len(sys.argv) > 4:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[3], sys.argv[4])
            server.socket = context.wrap_socket(server.socket, server_side=True)
        with open(sys.argv[1] + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(sys.argv[1] + ".tmp", sys.argv[1])
        server.serve_forever()
        """#

    /// `http` or `https`.
    let scheme: String
    private let server: ScriptedServer
    private let directory: String

    /// The port it listens on.
    var port: Int { server.port }

    private init(in directory: String, tls: (certificate: String, key: String)?) throws {
        var arguments = [directory + "/requests.jsonl"]
        if let tls { arguments += [tls.certificate, tls.key] }
        server = try ScriptedServer(script: Self.script, in: URL(fileURLWithPath: directory), arguments: arguments)
        scheme = tls == nil ? "http" : "https"
        self.directory = directory
    }

    /// Runs `body` with a server started in a fresh temporary directory, stopped afterwards.
    static func with<T>(tls: Bool = false, _ body: (TestHTTPServer) async throws -> T) async throws -> T {
        try await withTemporaryDirectory { directory in
            let files = tls ? try makeCertificate(in: directory) : nil
            let server = try await onOwnThread { try TestHTTPServer(in: directory, tls: files) }
            return try await body(server)
        }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    func url(_ path: String) -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

    /// The requests received so far, oldest first.
    func requests() -> [RecordedRequest] {
        guard let data = FileManager.default.contents(atPath: directory + "/requests.jsonl") else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            try? JSONDecoder().decode(RecordedRequest.self, from: Data(line))
        }
    }

    private static func makeCertificate(in directory: String) throws -> (certificate: String, key: String) {
        let certificate = directory + "/cert.pem"
        let key = directory + "/key.pem"
        let outcome = try PeerProcess.run(
            "/usr/bin/env",
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", certificate,
            ])
        guard outcome.status == 0 else { throw TestServerError(message: "openssl failed: \(outcome.stderr)") }
        return (certificate, key)
    }
}

/// One request the test server received.
struct RecordedRequest: Decodable {
    var method: String
    var path: String
    var headers: [String: String]
    var body: String
}

struct TestServerError: Error {
    var message: String
}
