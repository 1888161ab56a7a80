import Crypto
import Foundation

/// Random secrets (session ids, invitation tokens) and their stored digests. Only the
/// digest is kept, so a copy of the database does not hand out live credentials
/// (`shared/docs/domain/security.md` §5: 256-bit ids, the server stores their SHA-256).
public enum SecretToken {
    /// 256 random bits, base64url without padding. The bytes come from BoringSSL's generator in
    /// one call: drawing them a byte at a time from `SystemRandomNumberGenerator` made one
    /// `getrandom` system call per byte, on every page that carries a form.
    public static func generate(bytes count: Int = 32) -> String {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { $0.base64URLEncoded }
    }

    public static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexEncoded
    }

    /// Compares without an early exit, so timing does not reveal how much matched.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte: how digests and MACs are written down.
    /// Written byte by byte from a table: `String(format:)` per byte cost more than the hash it
    /// wrote down, on every signed-in request (the session's digest) and every audit row.
    public var hexEncoded: String {
        var digits: [UInt8] = []
        digits.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            digits.append(hexDigits[Int(byte >> 4)])
            digits.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: digits, as: UTF8.self)
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)

extension Sequence where Element == UInt8 {
    /// Base64url without padding (RFC 4648 §5): how tokens, signatures and cursors travel in
    /// URLs and cookies. Written from a table, not by editing `base64EncodedString()`'s result:
    /// Foundation's `replacingOccurrences` went through `NSString` three times a token.
    public var base64URLEncoded: String {
        let bytes = Array(self)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [base64URLDigits[Int(n >> 18)], base64URLDigits[Int(n >> 12 & 63)],
                    base64URLDigits[Int(n >> 6 & 63)], base64URLDigits[Int(n & 63)]]
            i += 3
        }
        let left = bytes.count - i
        if left > 0 {
            let n = UInt32(bytes[i]) << 16 | (left == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out += [base64URLDigits[Int(n >> 18)], base64URLDigits[Int(n >> 12 & 63)]]
            if left == 2 { out.append(base64URLDigits[Int(n >> 6 & 63)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

private let base64URLDigits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
