import Fluent
import Foundation
import JWTKit
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// The ID token checks (OpenID Connect Core §3.1.3.7) against tokens signed here, and who a
/// provider's person is in Lantern (issue 22, item 1). The whole flow in a browser against a
/// real provider is in e2e/test_single_sign_on.py.
@Suite("Single sign-on")
struct SingleSignOnTests {
    static let issuer = "https://login.example.gov.uk", client = "lantern"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// The provider's signing key, and the collection Lantern would build from its JWKS.
    static func keys() async throws -> (signer: JWTKeyCollection, verifier: JWTKeyCollection) {
        let key = ES256PrivateKey()
        let signer = await JWTKeyCollection().add(ecdsa: key, kid: "k1")
        let verifier = await JWTKeyCollection().add(ecdsa: key.publicKey, kid: "k1")
        return (signer, verifier)
    }

    static func claims(aud: [String] = [client], exp: Date = now.addingTimeInterval(300), iat: Date = now, nonce: String? = "n-1",
                       iss: String = issuer, azp: String? = nil) -> IDTokenClaims {
        IDTokenClaims(iss: iss, sub: "subject-1", aud: aud, exp: exp, iat: iat, nonce: nonce, azp: azp, email: "caseworker@demo.lantern.example", emailVerified: true)
    }

    static func check(_ token: String, _ verifier: JWTKeyCollection) async -> Result<IDTokenClaims, IDTokenCheck.Refusal> {
        do { return .success(try await IDTokenCheck.verify(token, keys: verifier, issuer: issuer, clientID: client, nonce: "n-1", now: now)) }
        catch let refusal as IDTokenCheck.Refusal { return .failure(refusal) }
        catch { return .failure(.malformed) }
    }

    @Test func aGoodTokenPassesAndEachWrongThingIsRefused() async throws {
        let (signer, verifier) = try await Self.keys()
        let good = try await signer.sign(Self.claims(), kid: "k1")
        #expect(try await Self.check(good, verifier).get().sub.value == "subject-1")

        let cases: [(IDTokenClaims, IDTokenCheck.Refusal)] = [
            (Self.claims(aud: ["another-client"]), .wrongAudience),
            (Self.claims(aud: [Self.client, "another-client"], azp: "another-client"), .wrongAudience),
            (Self.claims(exp: Self.now.addingTimeInterval(-IDTokenCheck.leeway - 1)), .expired),
            (Self.claims(iat: Self.now.addingTimeInterval(IDTokenCheck.leeway + 60)), .issuedInTheFuture),
            (Self.claims(nonce: "n-0"), .nonceMismatch),
            (Self.claims(nonce: nil), .nonceMismatch),
            (Self.claims(iss: "https://evil.example"), .wrongIssuer),
        ]
        for (claims, refusal) in cases {
            let token = try await signer.sign(claims, kid: "k1")
            #expect(await Self.check(token, verifier) == .failure(refusal), "\(refusal)")
        }
        // Within the leeway, a token just past its expiry still passes (clocks a little apart).
        let late = try await signer.sign(Self.claims(exp: Self.now.addingTimeInterval(-30)), kid: "k1")
        #expect((try? await Self.check(late, verifier).get()) != nil)
    }

    @Test func aTokenSignedByAnotherKeyOrTamperedWithIsRefused() async throws {
        let (signer, verifier) = try await Self.keys()
        let (otherSigner, _) = try await Self.keys()
        // Same key id, another key: a forged token.
        let forged = try await otherSigner.sign(Self.claims(), kid: "k1")
        #expect(await Self.check(forged, verifier) == .failure(.badSignature))
        // A good token with its payload changed (another subject).
        let good = try await signer.sign(Self.claims(), kid: "k1")
        let parts = good.split(separator: ".").map(String.init)
        var payload = try JSONSerialization.jsonObject(with: Data(base64URL: parts[1])!) as! [String: Any]
        payload["sub"] = "administrator"
        let changed = try JSONSerialization.data(withJSONObject: payload).base64URLEncoded
        #expect(await Self.check([parts[0], changed, parts[2]].joined(separator: "."), verifier) == .failure(.badSignature))
        // "alg": "none" is not a signature.
        let none = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64URLEncoded
        let unsigned = await Self.check([none, parts[1], ""].joined(separator: "."), verifier)
        #expect(unsigned == .failure(.badSignature) || unsigned == .failure(.malformed), "\(unsigned)")
    }

    @Test(arguments: TestDatabase.available)
    func onlyInvitedPeopleGetInAndTheProviderGrantsNoRole(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let verified = Self.claims()
            let user = try #require(try await SingleSignOnController.match(verified, issuer: Self.issuer, on: env.db))
            #expect(user.email == "caseworker@demo.lantern.example" && user.role == .caseworker)
            #expect(user.oidcSubject == Self.issuer + "|subject-1")
            // Later sign-ins match on the subject, whatever the email says now.
            var renamed = verified
            renamed.email = "someone.else@example.org"
            #expect(try await SingleSignOnController.match(renamed, issuer: Self.issuer, on: env.db)?.id == user.id)
            // An unverified address, or one with no account, matches nobody.
            var unverified = Self.claims()
            unverified.sub = SubjectClaim(value: "subject-2")
            unverified.email = "auditor@demo.lantern.example"
            unverified.emailVerified = false
            #expect(try await SingleSignOnController.match(unverified, issuer: Self.issuer, on: env.db) == nil)
            unverified.emailVerified = true
            unverified.email = "stranger@example.org"
            #expect(try await SingleSignOnController.match(unverified, issuer: Self.issuer, on: env.db) == nil)
            // A second subject cannot take over an account already linked to the first.
            unverified.email = "caseworker@demo.lantern.example"
            #expect(try await SingleSignOnController.match(unverified, issuer: Self.issuer, on: env.db) == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func requiredSingleSignOnRefusesPasswordsButTheBreakGlassAdministrators(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let mail = EmailTests.recording(env)
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let organisation = try #require(try await Organisation.current(on: env.db))
            let adminID = try #require(try await User.query(on: env.db).filter(\.$role == .administrator).first()?.id)
            let settings = ["name": organisation.name, "kind": organisation.kind.rawValue, "isFirstResponder": "yes",
                            "financialYearEndDay": "31", "financialYearEndMonth": "3", "requireSSO": "yes", "breakGlassUserID": adminID.uuidString]
            // Without a provider configured, it cannot be required.
            try await admin.get("/admin/organisation")
            #expect(try await admin.post("/admin/organisation", settings).status == .unprocessableEntity)

            env.app.identityProvider = OIDCProvider(settings: OIDCSettings(issuer: Self.issuer, clientID: Self.client, clientSecret: "s", providerName: "the Council account"))
            var noBreakGlass = settings
            noBreakGlass["breakGlassUserID"] = ""
            let refused = try await admin.post("/admin/organisation", noBreakGlass)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Choose the one administrator"))
            #expect(try await admin.post("/admin/organisation", settings).status == .seeOther)
            env.app.lantern.organisation.forget()

            let caseworker = try env.browser()
            let password = try await caseworker.signIn(as: .caseworker)
            #expect(password.status == .forbidden && password.body.string.contains("Your organisation signs you in with the Council account"))
            #expect(password.body.string.contains("href=\"/sign-in/sso?next="))
            #expect(try await caseworker.get("/cases").status == .seeOther)
            // The break-glass administrator still signs in with a password.
            #expect(try await env.browser().signIn(as: .administrator).location == "/home")
            // No reset link for someone who signs in through the provider.
            let visitor = try env.browser()
            try await visitor.get("/sign-in/forgotten-password")
            #expect(try await visitor.post("/sign-in/forgotten-password", ["email": DemoData.email(for: .caseworker)]).status == .ok)
            try await Mailbox.deliverDue(env.app)
            #expect(mail.sent.isEmpty)
        }
    }

    @Test func theCodeChallengeIsRFC7636s() {
        // RFC 7636 appendix B.
        #expect(SingleSignOnController.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }
}

extension Data {
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }

    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
