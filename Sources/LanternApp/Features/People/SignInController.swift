import Fluent
import Foundation
import LanternCore
import Vapor

/// Sign-in and sign-out with email and password.
struct SignInController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", use: show)
        routes.post("sign-in", use: signIn)
        routes.post("sign-out", use: signOut)
    }

    struct Form: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    struct View {
        var email: String
        var next: String
        var expired: Bool
        var errors: FormErrors
        /// A form sent after the session expired was kept (`KeptForm`); signing in leads to it.
        var kept = false
        var idleMinutes = 30
        /// The identity provider's name for the single sign-on button, when one is configured.
        var sso: String?
        var ssoLink = "/sign-in/sso"
    }

    /// The same words whether the address is unknown, the password wrong or the account
    /// deactivated, so the page reveals nothing about who has an account.
    static let genericFailure = "Enter a correct email address and password"

    func show(req: Request) async throws -> Response {
        if req.currentUser != nil {
            return req.redirect(to: SafeRedirect.target(req.query[String.self, at: "next"]))
        }
        let view = View(email: "", next: SafeRedirect.target(req.query[String.self, at: "next"]),
                        expired: req.query[String.self, at: "expired"] == "1", errors: FormErrors(),
                        kept: req.query[String.self, at: "kept"] == "1",
                        idleMinutes: Int(req.lantern.configuration.sessionLifetime.idleTimeout / 60),
                        sso: req.application.identityProvider?.settings.providerName,
                        ssoLink: "/sign-in/sso?next=" + SafeRedirect.encode(SafeRedirect.target(req.query[String.self, at: "next"])))
        return try await Self.page(req, view)
    }

    static func page(_ req: Request, _ view: View, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await req.render(title: "Sign in", status: status) { html, layout in view.write(into: &html, csrf: layout.csrf) }
    }

    /// The page again after a refused attempt: what was typed (never the password), the errors,
    /// and the single sign-on button where there is one.
    static func view(_ req: Request, email: String, next: String, errors: FormErrors) -> View {
        var view = View(email: email, next: next, expired: false, errors: errors)
        view.sso = req.application.identityProvider?.settings.providerName
        view.ssoLink = "/sign-in/sso?next=" + SafeRedirect.encode(next)
        return view
    }

    func signIn(req: Request) async throws -> Response {
        let form = try req.form(Form.self)
        let email = User.normalise(email: form.email ?? "")
        let password = form.password ?? ""
        let next = SafeRedirect.target(form.next)
        var errors = FormErrors()
        if email.isEmpty { errors.add("email", "Enter your email address") }
        if password.isEmpty { errors.add("password", "Enter your password") }
        if !errors.isEmpty {
            return try await Self.page(req, Self.view(req, email: email, next: next, errors: errors), status: .unprocessableEntity)
        }

        let now = req.lantern.now()
        let configuration = req.lantern.configuration
        let gate = SignInGate(email: email, address: req.clientAddress, keys: req.lookupKeys)
        let decision = try await gate.admit(on: req.db, pair: configuration.signInThrottle, account: configuration.accountSignInThrottle, now: now)
        guard case .evaluate(let reserved) = decision else {
            guard case .wait(let allowed) = decision else { throw Abort(.internalServerError) }
            try await req.audit(.signInThrottled, .user, outcome: .denied, detail: "key:" + gate.accountKey.prefix(12))
            let minutes = max(1, Int((allowed.timeIntervalSince(now) / 60).rounded(.up)))
            errors.add("email", "Too many failed attempts. Wait \(minutes) minute\(minutes == 1 ? "" : "s") and try again")
            let response = try await Self.page(req, Self.view(req, email: email, next: next, errors: errors), status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(allowed.timeIntervalSince(now).rounded(.up))))
            return response
        }

        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        let verified: Bool
        if let hash = user?.passwordHash {
            verified = (try? await req.password.async.verify(password, created: hash)) ?? false
        } else {
            // Spend the same time on unknown addresses, so timing does not reveal them either.
            _ = try? await req.password.async.hash(password)
            verified = false
        }
        guard let user, verified, user.isActive else {
            // The attempt was counted when it was admitted; a known account also keeps a tally for its holder.
            if let id = user?.id, user?.isActive == true { try await SignInGate.recordFailure(of: id, on: req.db) }
            try await req.audit(.signInFailed, .user, id: user?.id?.uuidString, outcome: .failure,
                                detail: user == nil ? "unknown address" : (user!.isActive ? "wrong password" : "deactivated"))
            errors.add("email", Self.genericFailure)
            return try await Self.page(req, Self.view(req, email: email, next: next, errors: errors), status: .unauthorized)
        }

        if let provider = req.application.identityProvider, let organisation = try await req.organisation(),
           organisation.requiresSingleSignOn(for: user) {
            // The password was right, but this organisation signs people in through its provider
            // (the break-glass administrator excepted). The attempt stays counted.
            try await req.audit(.signInFailed, .user, id: user.id?.uuidString, outcome: .denied, detail: "password refused: single sign-on required")
            errors.add("email", "Your organisation signs you in with \(provider.settings.providerName): use the button above")
            return try await Self.page(req, Self.view(req, email: email, next: next, errors: errors), status: .forbidden)
        }
        if user.twoFactorAt != nil {
            // The password was right, but the attempt stays counted until the code is right
            // too, so a known password does not reset the throttle on guessing codes.
            try await TwoFactorSignIn.awaitCode(req, user: user, next: next, reserved: reserved)
            return req.redirect(to: "/sign-in/two-factor")
        }
        return try await Self.complete(req, user: user, next: next, forgive: reserved)
    }

    /// Signs the person in: a fresh session, their failures forgiven, the sign-in audited.
    static func complete(_ req: Request, user: User, next: String, forgive reserved: [UUID], detail: String? = nil) async throws -> Response {
        try await startFreshSession(req)
        req.session.data[DatabaseSessionDriver.userKey] = user.id!.uuidString
        _ = req.csrfToken
        if let failed = user.failedSignIns, failed > 0 {
            req.flash("There \(failed == 1 ? "was 1 failed attempt" : "were \(failed) failed attempts") to sign in to your account since you last signed in. If that was not you, tell your administrator.")
        }
        user.lastSignInAt = req.lantern.now()
        user.failedSignIns = 0
        try await user.save(on: req.db)
        let gate = SignInGate(email: user.email, address: req.clientAddress, keys: req.lookupKeys)
        try await gate.succeeded(reserved: reserved, on: req.db)
        req.auth.login(user)
        try await req.audit(.signIn, .user, id: user.id?.uuidString, detail: detail)
        return req.redirect(to: next)
    }

    /// A fresh session id at sign-in (and at its second step), so an id planted before sign-in
    /// is worthless. An expired session the browser still names goes too.
    static func startFreshSession(_ req: Request) async throws {
        for old in [req.session.id?.string, req.cookies["lantern-session"]?.string].compactMap({ $0 }) {
            try await StoredSession.query(on: req.db).filter(\.$idHash == SecretToken.digest(old)).delete()
        }
        req.session.id = nil
        req.session.data = SessionData()
    }

    func signOut(req: Request) async throws -> Response {
        if let user = req.currentUser {
            try await req.audit(.signOut, .user, id: user.id?.uuidString)
        }
        req.auth.logout(User.self)
        req.session.destroy()
        return req.redirect(to: "/sign-in?signed-out=1")
    }
}
