import Foundation
import RunbookTestPeers

/// A stand-in for a service's health endpoint on a free loopback port: 503 to the first request, 200 to every
/// later one, as a service that recovers once a remediation has run.
final class RecoveringHealthEndpoint {
    private let server: ScriptedServer
    var port: Int { server.port }

    init(folder: URL) throws {
        let script = """
            import http.server, sys
            calls = [0]
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    calls[0] += 1
                    status = 503 if calls[0] == 1 else 200
                    self.send_response(status); self.send_header('Content-Length', '2'); self.end_headers()
                    self.wfile.write(b'ok')
                def log_message(self, *a): pass
            s = http.server.HTTPServer(('127.0.0.1', 0), H)
            open(sys.argv[1], 'w').write(str(s.server_address[1]))
            s.serve_forever()
            """
        server = try ScriptedServer(script: script, in: folder)
    }
}
