import Foundation
import Testing
@testable import Ingest

/// SHA-256 names a loaded file (`loads.sha256`) and an OTLP resource, so it must match the
/// standard digest exactly, however the bytes are fed.
@Suite struct SHA256Tests {
    /// FIPS 180-2 examples.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownDigests(_ text: String, _ digest: String) {
        #expect(SHA256.hex(of: text) == digest)
    }

    /// The digest of a buffer fed in uneven pieces equals the one-shot digest and `sha256sum`'s.
    @Test func incrementalMatchesSha256sum() throws {
        var random = JSONParserTests.Random(state: 42)
        let bytes = (0..<1_000_003).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let file = TestSupport.temporaryDirectory().appendingPathComponent("random.bin")
        try Data(bytes).write(to: file)

        var whole = SHA256()
        bytes.withUnsafeBytes { whole.update($0) }
        var pieces = SHA256()
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let count = min(raw.count - offset, 1 + random.below(70_000))
                pieces.update(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + count]))
                offset += count
            }
        }
        let expected = try Self.sha256sum(file.path)
        #expect(whole.finalize() == expected)
        #expect(pieces.finalize() == expected)
    }

    /// Reading the digest does not end the hash: a copy and the original go on independently.
    @Test func digestMidwayAndCopies() {
        var h = SHA256()
        "ab".utf8CString.dropLast().withUnsafeBytes { h.update($0) }
        let copy = h
        #expect(h.hex == SHA256.hex(of: "ab"))
        "c".utf8CString.dropLast().withUnsafeBytes { h.update($0) }
        #expect(h.finalize() == SHA256.hex(of: "abc"))
        #expect(copy.hex == SHA256.hex(of: "ab"))
    }

    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let line = String(data: output, encoding: .utf8),
              let digest = line.split(separator: " ").first else {
            throw TestFailure("sha256sum failed")
        }
        return String(digest)
    }
}
