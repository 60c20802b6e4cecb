import CCrypto

/// SHA-256, incremental: the identity of a loaded file (`loads.sha256`) and of an OTLP
/// resource. OpenSSL's libcrypto computes it (with the CPU's SHA extensions where present,
/// ~2 GB/s), so hashing every byte of a multi-gigabyte load costs little next to parsing.
public struct SHA256: @unchecked Sendable {
    private final class Context {
        let ctx: OpaquePointer?
        init() {
            ctx = EVP_MD_CTX_new()
            EVP_DigestInit_ex(ctx, EVP_sha256(), nil)
        }
        init(copying other: Context) {
            ctx = EVP_MD_CTX_new()
            EVP_MD_CTX_copy_ex(ctx, other.ctx)
        }
        deinit { EVP_MD_CTX_free(ctx) }
    }

    private var context = Context()

    public init() {}

    public static func hex(of text: String) -> String {
        var h = SHA256()
        var copy = text
        copy.withUTF8 { h.update(UnsafeRawBufferPointer($0)) }
        return h.hex
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if !isKnownUniquelyReferenced(&context) { context = Context(copying: context) }
        EVP_DigestUpdate(context.ctx, bytes.baseAddress, bytes.count)
    }

    /// The hex digest of what was fed so far (the hasher can go on).
    public var hex: String {
        let copy = Context(copying: context)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(copy.ctx, &digest, &length)
        let digits = Array("0123456789abcdef")
        var out = ""
        for byte in digest.prefix(Int(length)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return out
    }

    /// The hex digest (kept for symmetry with incremental hashers).
    public mutating func finalize() -> String { hex }
}
