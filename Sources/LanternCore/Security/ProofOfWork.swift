import Crypto
import Foundation

/// A small proof of work on the public report form, in place of a third-party CAPTCHA
/// (`shared/docs/domain/security.md` §1). The page carries a signed challenge; the browser
/// finds a number whose SHA-256 with the challenge starts with `bits` zero bits (about 65,000
/// tries at 16 bits: well under a second) and sends it with the report. Reports that carry a
/// solved, unspent challenge have their own hourly budget, so a flood of scripted posts that
/// skip the work cannot close the form to people; posts without it (no JavaScript) still go
/// through, at a lower rate.
public enum ProofOfWork {
    public static let defaultBits = 16
    /// Long enough to write a report in; a challenge is spent once used.
    public static let lifetime: TimeInterval = 6 * 3600

    public enum Outcome: Equatable, Sendable {
        /// Solved: `challenge` identifies it, to refuse a second use.
        case solved(challenge: String, expires: Date)
        case missing, forged, expired, unsolved
    }

    /// `v1.<issued unix seconds>.<bits>.<random hex>.<hmac hex>`, compared in constant time
    public static func issue(key: SymmetricKey, now: Date, bits: Int = defaultBits,
                             random: [UInt8] = (0..<16).map { _ in UInt8.random(in: 0...255) }) -> String {
        let body = "v1.\(Int64(now.timeIntervalSince1970)).\(bits).\(random.hexEncoded)"
        return body + "." + signature(body, key: key)
    }

    public static func check(token: String?, solution: String?, key: SymmetricKey, now: Date) -> Outcome {
        guard let token, !token.isEmpty, let solution, !solution.isEmpty else { return .missing }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard token.utf8.count <= 200, parts.count == 5, parts[0] == "v1", let issued = Int64(parts[1]), let bits = Int(parts[2]),
              (1...32).contains(bits),
              SecretToken.constantTimeEquals(String(parts[4]), signature(parts[0...3].joined(separator: "."), key: key)) else { return .forged }
        let issuedAt = Date(timeIntervalSince1970: TimeInterval(issued))
        guard issuedAt <= now.addingTimeInterval(60), now.timeIntervalSince(issuedAt) <= lifetime else { return .expired }
        guard solution.count <= 20, solution.allSatisfy(\.isASCII), solution.allSatisfy(\.isNumber),
              leadingZeroBits(SHA256.hash(data: Data("\(token):\(solution)".utf8))) >= bits else { return .unsolved }
        return .solved(challenge: String(parts[3]), expires: issuedAt.addingTimeInterval(lifetime))
    }

    /// What the page's script does, for tests and tools: the first counter that solves `token`.
    public static func solve(_ token: String) -> String? {
        let parts = token.split(separator: ".")
        guard parts.count == 5, let bits = Int(parts[2]) else { return nil }
        for counter in 0..<(1 << min(bits + 8, 30)) {
            if leadingZeroBits(SHA256.hash(data: Data("\(token):\(counter)".utf8))) >= bits { return String(counter) }
        }
        return nil
    }

    static func leadingZeroBits<D: Sequence>(_ digest: D) -> Int where D.Element == UInt8 {
        var count = 0
        for byte in digest {
            if byte == 0 { count += 8; continue }
            return count + byte.leadingZeroBitCount
        }
        return count
    }

    static func signature(_ body: String, key: SymmetricKey) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: key).hexEncoded
    }
}
