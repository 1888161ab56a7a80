import Crypto
import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// Sign-in through the organisation's identity provider: OpenID Connect's authorization code
/// flow with PKCE (RFC 7636, S256), state and nonce. Only people already invited or created in
/// Lantern get in: matched on the provider's subject, or, the first time, on an email address
/// the provider has verified, after which the subject is kept. The provider never grants a role.
struct SingleSignOnController: RouteCollection {
    /// How long the provider's page may take before the sign-in must start again.
    static let flowLifetime: TimeInterval = 10 * 60

    private enum Key {
        static let state = "oidc.state", nonce = "oidc.nonce", verifier = "oidc.verifier", next = "oidc.next", since = "oidc.since"
        static let all = [state, nonce, verifier, next, since]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", "sso", use: start)
        routes.get("sign-in", "sso", "callback", use: callback)
    }

    static func redirectURI(_ req: Request) -> String { Mailbox.link(req.application, "/sign-in/sso/callback") }

    /// The S256 code challenge for a verifier (RFC 7636 §4.2).
    static func challenge(for verifier: String) -> String {
        SHA256.hash(data: Data(verifier.utf8)).base64URLEncoded
    }

    func start(req: Request) async throws -> Response {
        guard let provider = req.application.identityProvider else { throw LanternError.notFound }
        let discovery: OIDCProvider.Discovery
        do { discovery = try await provider.discovery(req.client) } catch {
            req.logger.warning("identity provider unreachable", metadata: ["error": "\(error)"])
            return req.redirect(to: "/sign-in", saying: "Your organisation's sign-in service cannot be reached. Try again in a few minutes.")
        }
        let state = SecretToken.generate(), nonce = SecretToken.generate(), verifier = SecretToken.generate()
        try await SignInController.startFreshSession(req)
        req.session.data[Key.state] = state
        req.session.data[Key.nonce] = nonce
        req.session.data[Key.verifier] = verifier
        req.session.data[Key.next] = SafeRedirect.target(req.query[String.self, at: "next"])
        req.session.data[Key.since] = String(Int(req.lantern.now().timeIntervalSince1970))
        var components = URLComponents(string: discovery.authorizationEndpoint)
        let existing = components?.queryItems ?? []
        components?.queryItems = existing + [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: provider.settings.clientID),
            URLQueryItem(name: "redirect_uri", value: Self.redirectURI(req)), URLQueryItem(name: "scope", value: "openid email profile"),
            URLQueryItem(name: "state", value: state), URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: Self.challenge(for: verifier)), URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        guard let url = components?.url?.absoluteString else { throw Abort(.internalServerError) }
        return req.redirect(to: url)
    }

    private func refuse(_ req: Request, _ reason: String, message: String, user: User? = nil) async throws -> Response {
        for key in Key.all { req.session.data[key] = nil }
        try await req.audit(.signInFailed, .user, id: user?.id?.uuidString, outcome: .failure, detail: "single sign-on: " + reason)
        return req.redirect(to: "/sign-in", saying: message)
    }

    func callback(req: Request) async throws -> Response {
        guard let provider = req.application.identityProvider else { throw LanternError.notFound }
        let now = req.lantern.now()
        guard req.hasSession, let expected = req.session.data[Key.state], let nonce = req.session.data[Key.nonce],
              let verifier = req.session.data[Key.verifier], let since = req.session.data[Key.since].flatMap(TimeInterval.init),
              now.timeIntervalSince1970 - since < Self.flowLifetime else {
            return try await refuse(req, "no sign-in in progress", message: "Sign in again: the sign-in had expired or was already used.")
        }
        // Used once: whatever happens next, this state and nonce cannot be used again.
        let next = SafeRedirect.target(req.session.data[Key.next])
        for key in Key.all { req.session.data[key] = nil }
        guard let state = req.query[String.self, at: "state"], SecretToken.constantTimeEquals(state, expected) else {
            return try await refuse(req, "state mismatch", message: "Sign in again: the answer from your organisation's sign-in did not match this browser.")
        }
        if let error = req.query[String.self, at: "error"] {
            return try await refuse(req, "provider said \(error.prefix(40))", message: "Your organisation's sign-in did not sign you in. Try again, or ask your administrator.")
        }
        guard let code = req.query[String.self, at: "code"], !code.isEmpty, code.count < 4096 else {
            return try await refuse(req, "no code", message: "Your organisation's sign-in sent no answer Lantern can use. Try again.")
        }
        let claims: IDTokenClaims
        do {
            let token = try await provider.exchange(code: code, verifier: verifier, redirectURI: Self.redirectURI(req), client: req.client)
            do {
                claims = try await IDTokenCheck.verify(token, keys: try await provider.keys(req.client, refresh: false, now: now),
                                                       issuer: provider.settings.issuer, clientID: provider.settings.clientID, nonce: nonce, now: now)
            } catch IDTokenCheck.Refusal.badSignature {
                // The provider may have rotated its keys since they were fetched.
                claims = try await IDTokenCheck.verify(token, keys: try await provider.keys(req.client, refresh: true, now: now),
                                                       issuer: provider.settings.issuer, clientID: provider.settings.clientID, nonce: nonce, now: now)
            }
        } catch let refusal as IDTokenCheck.Refusal {
            return try await refuse(req, refusal.description, message: "Your organisation's sign-in could not be checked, so you have not been signed in.")
        } catch {
            req.logger.warning("single sign-on failed", metadata: ["error": "\(error)"])
            return try await refuse(req, "token exchange failed", message: "Your organisation's sign-in could not be completed. Try again in a few minutes.")
        }
        guard let user = try await Self.match(claims, issuer: provider.settings.issuer, on: req.db) else {
            return try await refuse(req, "no Lantern account", message: "You do not have a Lantern account. Ask your Lantern administrator to invite you.")
        }
        guard user.isActive else {
            return try await refuse(req, "deactivated", message: "You do not have a Lantern account. Ask your Lantern administrator to invite you.", user: user)
        }
        if user.twoFactorAt != nil, !(claims.amr ?? []).contains("mfa") {
            // The provider did not say it asked for a second factor: Lantern asks for its own.
            try await TwoFactorSignIn.awaitCode(req, user: user, next: next, reserved: [])
            return req.redirect(to: "/sign-in/two-factor")
        }
        let response = try await SignInController.complete(req, user: user, next: next, forgive: [], detail: "single sign-on")
        if (claims.amr ?? []).contains("mfa") { req.session.data[TwoFactorRequirement.providerMFAKey] = "1" }
        return response
    }

    /// The Lantern account the provider's person is: by subject, or the first time by a verified
    /// email address of an account not yet linked to another subject.
    static func match(_ claims: IDTokenClaims, issuer: String, on db: any Database) async throws -> User? {
        let subject = issuer + "|" + claims.sub.value
        if let linked = try await User.query(on: db).filter(\.$oidcSubject == subject).first() { return linked }
        guard let email = claims.email.map(User.normalise(email:)), claims.emailVerified == true,
              let user = try await User.query(on: db).filter(\.$email == email).first(), user.oidcSubject == nil else { return nil }
        user.oidcSubject = subject
        try await user.save(on: db)
        return user
    }
}

struct AddSingleSignOn: AsyncMigration {
    var name: String { "2026-12-06-single-sign-on" }

    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("oidc_subject", .string).update()
        try await database.schema(Organisation.schema).field("require_sso", .bool).update()
        try await database.schema(Organisation.schema).field("break_glass_user_id", .uuid).update()
        if let sql = database as? any SQLDatabase {
            // One account per subject; accounts not yet linked have none (NULLs are distinct).
            try await sql.raw("CREATE UNIQUE INDEX IF NOT EXISTS users_oidc_subject ON users (oidc_subject)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Organisation.schema).deleteField("break_glass_user_id").update()
        try await database.schema(Organisation.schema).deleteField("require_sso").update()
        try await database.schema(User.schema).deleteField("oidc_subject").update()
    }
}
