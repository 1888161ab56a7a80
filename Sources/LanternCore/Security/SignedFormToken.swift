import Crypto
import Foundation

/// The CSRF token of a visitor who has no session (the sign-in page, the public reporting
/// form): a signed double-submit token (OWASP CSRF cheat sheet). A random nonce and its HMAC
/// under a server key travel both in a cookie and in the form; a post is accepted only when the
/// two match and the signature holds. Nothing is stored, so anonymous pages write no rows.
public enum SignedFormToken {
    public static func make(key: SymmetricKey) -> String {
        let nonce = SecretToken.generate()
        return nonce + "." + signature(nonce, key: key)
    }

    public static func isValid(_ token: String, key: SymmetricKey) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count >= 32, parts[0].count <= 64 else { return false }
        return SecretToken.constantTimeEquals(String(parts[1]), signature(String(parts[0]), key: key))
    }

    static func signature(_ nonce: String, key: SymmetricKey) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(("lantern-form|" + nonce).utf8), using: key).base64URLEncoded
    }
}
