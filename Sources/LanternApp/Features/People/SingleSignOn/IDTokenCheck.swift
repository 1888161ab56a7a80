import Foundation
import JWTKit
import LanternCore

/// The claims Lantern reads from an OpenID Connect ID token (OpenID Connect Core 1.0 §2).
/// Roles are never read from it: they stay Lantern's own.
struct IDTokenClaims: JWTPayload, Equatable {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var nonce: String?
    var azp: String?
    var email: String?
    var emailVerified: Bool?
    var amr: [String]?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, azp, email, amr
        case emailVerified = "email_verified"
    }

    init(iss: String, sub: String, aud: [String], exp: Date, iat: Date, nonce: String?, azp: String? = nil,
         email: String? = nil, emailVerified: Bool? = nil, amr: [String]? = nil) {
        self.iss = IssuerClaim(value: iss)
        self.sub = SubjectClaim(value: sub)
        self.aud = AudienceClaim(value: aud)
        self.exp = ExpirationClaim(value: exp)
        self.iat = IssuedAtClaim(value: iat)
        self.nonce = nonce
        self.azp = azp
        self.email = email
        self.emailVerified = emailVerified
        self.amr = amr
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        iss = try c.decode(IssuerClaim.self, forKey: .iss)
        sub = try c.decode(SubjectClaim.self, forKey: .sub)
        aud = try c.decode(AudienceClaim.self, forKey: .aud)
        exp = try c.decode(ExpirationClaim.self, forKey: .exp)
        iat = try c.decode(IssuedAtClaim.self, forKey: .iat)
        nonce = try c.decodeIfPresent(String.self, forKey: .nonce)
        azp = try c.decodeIfPresent(String.self, forKey: .azp)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        // Some providers send "true" as a string.
        if let flag = try? c.decodeIfPresent(Bool.self, forKey: .emailVerified) { emailVerified = flag }
        else { emailVerified = (try? c.decodeIfPresent(String.self, forKey: .emailVerified)).flatMap { $0.lowercased() == "true" } }
        amr = try? c.decodeIfPresent([String].self, forKey: .amr)
    }

    /// The signature is checked by the key collection; the claims are checked against Lantern's
    /// clock afterwards (`IDTokenCheck`), so this has nothing to add.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Verifies an ID token as OpenID Connect Core §3.1.3.7 asks: signature by a key from the
/// provider's JWKS, issuer, audience (and authorised party), expiry and issue time by Lantern's
/// clock, and the nonce this browser's sign-in started with.
enum IDTokenCheck {
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case badSignature, wrongIssuer, wrongAudience, expired, issuedInTheFuture, nonceMismatch, malformed

        var description: String {
            switch self {
            case .badSignature: "the token's signature does not match the provider's keys"
            case .wrongIssuer: "the token is from another issuer"
            case .wrongAudience: "the token is for another client"
            case .expired: "the token has expired"
            case .issuedInTheFuture: "the token is dated in the future"
            case .nonceMismatch: "the token's nonce is not this sign-in's (replayed)"
            case .malformed: "the token cannot be read"
            }
        }
    }

    /// Clocks a little apart are allowed for.
    static let leeway: TimeInterval = 60

    static func verify(_ token: String, keys: JWTKeyCollection, issuer: String, clientID: String, nonce: String, now: Date) async throws -> IDTokenClaims {
        let claims: IDTokenClaims
        do {
            claims = try await keys.verify(token, as: IDTokenClaims.self)
        } catch is JWTError {
            throw Refusal.badSignature
        } catch {
            throw Refusal.malformed
        }
        guard claims.iss.value == issuer else { throw Refusal.wrongIssuer }
        guard claims.aud.value.contains(clientID) else { throw Refusal.wrongAudience }
        if claims.aud.value.count > 1, claims.azp != clientID { throw Refusal.wrongAudience }
        if let azp = claims.azp, azp != clientID { throw Refusal.wrongAudience }
        guard claims.exp.value.addingTimeInterval(leeway) > now else { throw Refusal.expired }
        guard claims.iat.value.addingTimeInterval(-leeway) <= now else { throw Refusal.issuedInTheFuture }
        guard let sent = claims.nonce, SecretToken.constantTimeEquals(sent, nonce) else { throw Refusal.nonceMismatch }
        return claims
    }
}
