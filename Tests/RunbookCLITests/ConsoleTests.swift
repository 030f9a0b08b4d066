import Foundation
import Testing

@testable import RunbookCLI

/// What runbook prints reaches the reader whole, even through a non-blocking pipe that fills up.
@Suite struct ConsoleTests {
    @Test func everyByteReachesANonBlockingPipe() async throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        let (reader, writer) = (ends[0], ends[1])
        #expect(fcntl(writer, F_SETFL, fcntl(writer, F_GETFL) | O_NONBLOCK) == 0)
        // 1 MiB of numbered lines: sixteen times what a pipe holds, so writes come back short and with EAGAIN.
        let text = (0..<100_000).map { String(format: "line %06d\n", $0) }.joined()
        let received = Task.detached { () -> [UInt8] in
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                bytes += buffer[..<count]
                usleep(50)  // a slow reader
            }
            return bytes
        }
        Console.write(text, to: writer)
        close(writer)
        let bytes = await received.value
        close(reader)
        #expect(bytes.count == text.utf8.count)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
    }
}
