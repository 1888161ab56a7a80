import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238, over HOTP, RFC 4226): HMAC-SHA1, 30-second steps,
/// six digits, the settings every authenticator app reads from an `otpauth://` link. The
/// fallback sign-in for staff is a password plus TOTP (`shared/docs/domain/security.md` §5).
public struct OneTimePassword: Sendable {
    public let secret: [UInt8]
    public static let stepSeconds: Int64 = 30
    public static let digits = 6
    /// Steps either side of now that are still accepted, for clocks a little apart.
    public static let window: Int64 = 1

    public init(secret: [UInt8]) { self.secret = secret }

    /// 160 random bits, the length RFC 4226 recommends for HMAC-SHA1.
    public static func generateSecret() -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
    }

    public static func step(at time: Date) -> Int64 {
        Int64((time.timeIntervalSince1970 / Double(stepSeconds)).rounded(.down))
    }

    /// The code for one step, `digits` long with leading zeros.
    public func code(forStep step: Int64, digits: Int = OneTimePassword.digits) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        // Dynamic truncation (RFC 4226 §5.3).
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let value = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let number = String(value % modulus)
        return String(repeating: "0", count: digits - number.count) + number
    }

    public func code(at time: Date) -> String { code(forStep: Self.step(at: time)) }

    /// The step whose code `typed` is, within the window around `time`, or nil. The caller
    /// accepts it only if it is later than the last step accepted, so no code works twice.
    /// Spaces and dashes people type between the digits are ignored.
    public func matchingStep(_ typed: String, at time: Date) -> Int64? {
        let digitsOnly = typed.filter { !$0.isWhitespace && $0 != "-" }
        guard digitsOnly.count == Self.digits, digitsOnly.allSatisfy(\.isASCII), digitsOnly.allSatisfy(\.isNumber) else { return nil }
        let now = Self.step(at: time)
        var found: Int64?
        // Every step in the window is compared, in constant time, so timing tells nothing.
        for step in (now - Self.window)...(now + Self.window) where SecretToken.constantTimeEquals(code(forStep: step), digitsOnly) {
            found = found ?? step
        }
        return found
    }

    /// The link an authenticator app reads from the QR code (Google Authenticator's key-URI
    /// format, which every common app follows).
    public func provisioningURI(issuer: String, account: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@")
        let issuerEncoded = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? "Lantern"
        let accountEncoded = account.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return "otpauth://totp/\(issuerEncoded):\(accountEncoded)?secret=\(Base32.encode(secret))&issuer=\(issuerEncoded)&algorithm=SHA1&digits=\(Self.digits)&period=\(Self.stepSeconds)"
    }
}

/// RFC 4648 base32, unpadded: how an authenticator secret is written out for typing in.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = "", buffer: UInt32 = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return out
    }

    /// Nil for a character outside the alphabet. Case, spaces and padding are ignored.
    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = [], buffer: UInt32 = 0, bits = 0
        for character in text.uppercased() where !character.isWhitespace && character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return out
    }
}

/// Single-use codes for when the authenticator is lost: ten, shown once, stored only as keyed
/// hashes. Each is ten characters from an alphabet without look-alikes (50 bits), in two groups.
public enum RecoveryCodes {
    public static let count = 10
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    public static func generate() -> [String] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let characters = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            return String(characters[0..<5]) + "-" + String(characters[5...])
        }
    }

    /// What is hashed: lower case, without the spaces and dashes people type.
    public static func normalise(_ typed: String) -> String {
        String(typed.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// Whether what was typed has the shape of a recovery code rather than an app's code.
    public static func looksLikeOne(_ typed: String) -> Bool { normalise(typed).count == 10 }
}
