/// Rules for a password chosen by a person.
///
/// Source: NCSC password guidance (length over complexity, refuse common passwords) and
/// `shared/docs/domain/security.md` §5 (Bcrypt for the sign-in fallback).
public enum PasswordPolicy {
    public static let minimumLength = 12
    /// Bcrypt reads at most 72 bytes; longer input would be silently truncated.
    public static let maximumBytes = 72

    static let common: Set<String> = [
        "password1234", "passwordpassword", "123456789012", "qwertyuiopas", "letmeinletmein",
        "welcome12345", "administrator", "changeme1234", "iloveyou1234", "password123!",
        "lantern12345", "safeguarding",
    ]

    /// The problems with `password`, worded for the person choosing it; empty when it is acceptable.
    public static func problems(with password: String, email: String) -> [String] {
        var problems: [String] = []
        if password.count < minimumLength {
            problems.append("Password must be \(minimumLength) characters or more")
        }
        if password.utf8.count > maximumBytes {
            problems.append("Password must be \(maximumBytes) bytes or fewer")
        }
        let lowered = password.lowercased()
        if common.contains(lowered) || Set(lowered).count <= 2 {
            problems.append("Password is too easy to guess: choose a less common one")
        }
        if !email.isEmpty, lowered.contains(email.lowercased()) || lowered == email.lowercased().split(separator: "@").first.map(String.init) {
            problems.append("Password must not contain your email address")
        }
        return problems
    }
}
