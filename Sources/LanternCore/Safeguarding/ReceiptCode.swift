import Crypto
import Foundation

/// The anonymous reporter's only credential: 16 random digits (about 53 bits), shown once as
/// 4-4-4-4. Only a keyed hash is stored, with the key held outside the database, so a stolen
/// database cannot be searched offline for codes.
///
/// Source: `shared/docs/domain/security.md` §1 (receipt code; store `HMAC-SHA256(pepper, code)`).
public struct ReceiptCode: Sendable, Equatable, CustomStringConvertible {
    public let digits: String

    public static func generate() -> ReceiptCode {
        var rng = SystemRandomNumberGenerator()
        return ReceiptCode(digits: String((0..<16).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) }))
    }

    private init(digits: String) { self.digits = digits }

    /// Reads a code as typed: spaces, dashes and dots between the digits are ignored.
    public init?(typed: String) {
        var digits = ""
        for scalar in typed.unicodeScalars {
            if ("0"..."9").contains(scalar) { digits.unicodeScalars.append(scalar) }
            else if scalar == " " || scalar == "-" || scalar == "." || scalar == "\t" { continue }
            else { return nil }
        }
        guard digits.count == 16 else { return nil }
        self.digits = digits
    }

    /// `1234-5678-9012-3456`
    public var description: String {
        stride(from: 0, to: 16, by: 4).map { i in
            let start = digits.index(digits.startIndex, offsetBy: i)
            return String(digits[start..<digits.index(start, offsetBy: 4)])
        }.joined(separator: "-")
    }

    /// Iterations of the stored hash: slow enough that each guess costs milliseconds even to
    /// someone holding both the database and the pepper, fast enough for a submission.
    public static let hashIterations = 10_000

    /// The stored lookup key, in hex: PBKDF2-HMAC-SHA256 of the code keyed by the pepper (held
    /// outside the database), one 32-byte block. Deterministic, so it can be looked up; slow, so
    /// the 10^16 codes cannot be tried quickly (`security.md` §1).
    public func hash(pepper: SymmetricKey, iterations: Int = ReceiptCode.hashIterations) -> String {
        let password = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(digits.utf8), using: pepper))
        // Keyed once; each round copies the keyed state rather than re-deriving the pads.
        let keyed = HMAC<SHA256>(key: password)
        var first = keyed
        first.update(data: Data("lantern-receipt".utf8) + Data([0, 0, 0, 1]))
        var block = [UInt8](first.finalize())
        var result = block
        for _ in 1..<max(1, iterations) {
            var round = keyed
            round.update(data: block)
            block = [UInt8](round.finalize())
            for i in 0..<result.count { result[i] ^= block[i] }
        }
        return result.hexEncoded
    }
}
