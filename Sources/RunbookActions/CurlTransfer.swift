/// What libcurl's callbacks collect during one transfer.
///
/// Not `Sendable`: it lives on the transfer's thread, and only that thread's libcurl calls reach it.
final class CurlTransfer {
    /// How many body bytes are kept.
    let maxBodyBytes: Int
    /// Read by the progress and write callbacks to abort a cancelled transfer.
    let cancellation: TransferCancellation
    /// The kept body.
    private(set) var body: [UInt8] = []
    /// Every body byte received, kept or not.
    private(set) var bodyByteCount = 0
    /// The header fields of the latest response (a redirect's are replaced by the next response's).
    private(set) var headers: [HTTPHeader] = []

    /// Collects a transfer that keeps up to `maxBodyBytes` of the body.
    init(maxBodyBytes: Int, cancellation: TransferCancellation) {
        self.maxBodyBytes = maxBodyBytes
        self.cancellation = cancellation
    }

    /// Takes a piece of the body.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        bodyByteCount += bytes.count
        let room = maxBodyBytes - body.count
        if room > 0 { body.append(contentsOf: bytes.prefix(room)) }
    }

    /// Takes one header line (a status line starts a new response).
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var line = String(decoding: bytes, as: UTF8.self)
        while let last = line.last, last.isNewline { line.removeLast() }
        if line.hasPrefix("HTTP/") {
            headers = []
            body = []
            bodyByteCount = 0
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            headers.append(HTTPHeader(name, String(value)))
        }
    }
}
