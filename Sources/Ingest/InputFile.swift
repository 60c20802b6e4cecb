import CZlib
import Foundation

/// Reads an input file (plain or gzip) as a sequence of lines, in large chunks.
///
/// `read(2)` in large chunks and `memchr` for newlines is the fastest way to lines here
/// (../shared/NOTES.md); gzip is inflated chunk by chunk, so memory stays flat in file size.
/// A line longer than `maxLineBytes` is reported, not buffered without bound.
public final class InputFile {
    public let path: String
    public let isGzip: Bool
    public let size: Int64
    private let fd: Int32
    private var zstream = z_stream()
    private var zInitialized = false
    private var zDone = false
    private let rawBase: UnsafeMutableRawPointer
    private var raw: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: rawBase, count: Self.chunk) }
    private var rawCount = 0
    private var rawOffset = 0
    private var eof = false
    /// File bytes read so far (compressed, for gzip), for progress.
    public private(set) var consumedCompressed: Int64 = 0
    /// SHA-256 of the file's bytes as stored (compressed, for gzip), complete after the last read.
    public internal(set) var digest = SHA256()

    /// The longest line a load accepts (16 MiB); longer lines are errors (or rejects).
    public static let maxLineBytes = 16 << 20
    static let chunk = 4 << 20

    public init(path: String) throws(IngestError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw IngestError(path: path, message: errno == ENOENT ? "no such file" : "cannot read: \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw IngestError(path: path, message: "is a directory (load a folder with `load PATH/*.jsonl` or `load PATH/`)")
        }
        size = Int64(info.st_size)
        fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw IngestError(path: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        rawBase = UnsafeMutableRawPointer.allocate(byteCount: Self.chunk, alignment: 16)
        // Sniff the gzip magic number.
        var magic = [UInt8](repeating: 0, count: 2)
        let n = pread(fd, &magic, 2, 0)
        isGzip = n == 2 && magic[0] == 0x1F && magic[1] == 0x8B
        if isGzip {
            let rc = relops_inflate_init_gzip(&zstream)
            guard rc == Z_OK else {
                close(fd)
                rawBase.deallocate()
                throw IngestError(path: path, message: "cannot start gzip decompression")
            }
            zInitialized = true
        }
    }

    deinit {
        if zInitialized { inflateEnd(&zstream) }
        rawBase.deallocate()
        close(fd)
    }

    /// Reads up to `buffer.count` decompressed bytes; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        if !isGzip {
            let n = Foundation.read(fd, buffer.baseAddress, buffer.count)
            if n < 0 { throw IngestError(path: path, message: "read error: \(String(cString: strerror(errno)))") }
            consumedCompressed += Int64(n)
            if n > 0 { digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
            return n
        }
        if zDone && rawOffset >= rawCount && eof { return 0 }
        zstream.next_out = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self)
        zstream.avail_out = uInt(buffer.count)
        while zstream.avail_out > 0 {
            if rawOffset >= rawCount && !eof {
                let n = Foundation.read(fd, raw.baseAddress, raw.count)
                if n < 0 { throw IngestError(path: path, message: "read error: \(String(cString: strerror(errno)))") }
                if n == 0 { eof = true } else { rawCount = n; rawOffset = 0; consumedCompressed += Int64(n)
                    digest.update(UnsafeRawBufferPointer(rebasing: raw[0..<n])) }
            }
            if rawOffset >= rawCount && eof {
                if !zDone {
                    throw IngestError(path: path, message: "truncated gzip stream (the file ends inside compressed data)")
                }
                break
            }
            if zDone {
                // Another gzip member follows (concatenated .gz files are valid gzip).
                inflateReset(&zstream)
                zDone = false
            }
            zstream.next_in = (rawBase + rawOffset).assumingMemoryBound(to: Bytef.self)
            zstream.avail_in = uInt(rawCount - rawOffset)
            let rc = inflate(&zstream, Z_NO_FLUSH)
            rawOffset = rawCount - Int(zstream.avail_in)
            if rc == Z_STREAM_END {
                zDone = true
                if rawOffset >= rawCount && eof { break }
                if rawOffset >= rawCount {
                    // Peek for another member; if none, we are done.
                    let n = Foundation.read(fd, raw.baseAddress, raw.count)
                    if n <= 0 { eof = true; break }
                    rawCount = n; rawOffset = 0; consumedCompressed += Int64(n)
                    digest.update(UnsafeRawBufferPointer(rebasing: raw[0..<n]))
                }
            } else if rc != Z_OK && rc != Z_BUF_ERROR {
                let message = zstream.msg.map { String(cString: $0) } ?? "code \(rc)"
                throw IngestError(path: path, message: "corrupt gzip data: \(message)")
            }
        }
        return buffer.count - Int(zstream.avail_out)
    }

    /// Calls `body` with each line (without its newline; a trailing `\r` is dropped) and its
    /// 1-based number. A line over `maxLineBytes` is passed as `nil` content once, and skipped.
    public func forEachLine(_ body: (Int64, UnsafeRawBufferPointer?) throws -> Void) throws {
        var base = UnsafeMutableRawPointer.allocate(byteCount: Self.chunk, alignment: 16)
        var buffer = UnsafeMutableRawBufferPointer(start: base, count: Self.chunk)
        defer { base.deallocate() }
        var start = 0   // start of the current (incomplete) line in buffer
        var end = 0     // bytes valid in buffer
        var lineNumber: Int64 = 0
        var skippingLongLine = false
        while true {
            if end == buffer.count {
                if start > 0 {
                    // Move the partial line to the front.
                    let count = end - start
                    memmove(base, base + start, count)
                    end = count
                    start = 0
                } else if end >= Self.maxLineBytes {
                    // The line is too long: report once, then drop bytes until its newline.
                    if !skippingLongLine {
                        lineNumber += 1
                        try body(lineNumber, nil)
                        skippingLongLine = true
                    }
                    end = 0
                } else {
                    let size = min(buffer.count * 2, Self.maxLineBytes + Self.chunk)
                    let bigger = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
                    bigger.copyMemory(from: base, byteCount: end)
                    base.deallocate()
                    base = bigger
                    buffer = UnsafeMutableRawBufferPointer(start: base, count: size)
                }
            }
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
            if n == 0 { break }
            var scan = end
            end += n
            while scan < end {
                guard let hit = memchr(base + scan, 0x0A, end - scan) else { break }
                let newline = hit - base
                if skippingLongLine {
                    skippingLongLine = false
                } else {
                    lineNumber += 1
                    var lineEnd = newline
                    if lineEnd > start, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    try body(lineNumber, UnsafeRawBufferPointer(rebasing: buffer[start..<lineEnd]))
                }
                start = newline + 1
                scan = start
            }
        }
        if !skippingLongLine && end > start {
            lineNumber += 1
            var lineEnd = end
            if buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            try body(lineNumber, UnsafeRawBufferPointer(rebasing: buffer[start..<lineEnd]))
        }
    }

    /// The whole (decompressed) content, for one-document formats. Refuses files beyond `limit`.
    public func readAll(limit: Int = 1 << 30) throws(IngestError) -> [UInt8] {
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try read(into: buffer)
            if n == 0 { break }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            if out.count > limit {
                throw IngestError(path: path, message: "a single JSON document larger than \(limit >> 20) MiB; write it as JSON lines")
            }
        }
        return out
    }
}
