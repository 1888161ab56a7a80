import Fluent
import Foundation
import LanternCore
import Vapor

/// The second step of signing in, for a person with two-factor authentication: after the
/// right password the session holds who is signing in (not yet signed in) for five minutes,
/// and a code from their authenticator, or one of their recovery codes, finishes it. Wrong
/// codes are counted by the same throttle as wrong passwords (`SignInGate`).
struct TwoFactorSignIn: RouteCollection {
    static let pendingLifetime: TimeInterval = 5 * 60

    private enum Key {
        static let user = "2fa.user", since = "2fa.since", next = "2fa.next", reserved = "2fa.reserved"
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", "two-factor", use: show)
        routes.post("sign-in", "two-factor", use: verify)
    }

    /// Called by the password step: a fresh session that names the person, awaiting the code.
    static func awaitCode(_ req: Request, user: User, next: String, reserved: [UUID]) async throws {
        try await SignInController.startFreshSession(req)
        req.session.data[Key.user] = user.id!.uuidString
        req.session.data[Key.since] = String(Int(req.lantern.now().timeIntervalSince1970))
        req.session.data[Key.next] = next
        req.session.data[Key.reserved] = reserved.map(\.uuidString).joined(separator: ",")
        _ = req.csrfToken
    }

    private struct Pending {
        let user: User
        let next: String
        let reserved: [UUID]
    }

    /// The person awaiting a code, if the password step was passed less than five minutes ago.
    private func pending(_ req: Request) async throws -> Pending? {
        guard req.hasSession, let id = req.session.data[Key.user].flatMap(UUID.init(uuidString:)),
              let since = req.session.data[Key.since].flatMap(TimeInterval.init),
              req.lantern.now().timeIntervalSince1970 - since < Self.pendingLifetime,
              let user = try await User.find(id, on: req.db), user.isActive, user.twoFactorAt != nil else { return nil }
        let reserved = (req.session.data[Key.reserved] ?? "").split(separator: ",").compactMap { UUID(uuidString: String($0)) }
        return Pending(user: user, next: SafeRedirect.target(req.session.data[Key.next]), reserved: reserved)
    }

    private func forget(_ req: Request) {
        for key in [Key.user, Key.since, Key.next, Key.reserved] { req.session.data[key] = nil }
    }

    struct View: Encodable {
        var errors: FormErrors
    }

    struct Form: Content {
        var code: String?
    }

    private func render(_ req: Request, _ errors: FormErrors, status: HTTPResponseStatus) async throws -> Response {
        try await req.render("People/two-factor-code", View(errors: errors), title: "Enter your security code", status: status)
    }

    func show(req: Request) async throws -> Response {
        guard try await pending(req) != nil else {
            forget(req)
            return req.redirect(to: "/sign-in")
        }
        return try await render(req, FormErrors(), status: .ok)
    }

    func verify(req: Request) async throws -> Response {
        guard let pending = try await pending(req) else {
            forget(req)
            return req.redirect(to: "/sign-in", saying: "Sign in again: the security code must be entered within 5 minutes of the password.")
        }
        let code = (try req.form(Form.self).code ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FormErrors()
        guard !code.isEmpty else {
            errors.add("code", "Enter the 6-digit code from your authenticator app, or a recovery code")
            return try await render(req, errors, status: .unprocessableEntity)
        }
        let user = pending.user, now = req.lantern.now()
        let configuration = req.lantern.configuration
        let gate = SignInGate(email: user.email, address: req.clientAddress, keys: req.lookupKeys)
        let decision = try await gate.admit(on: req.db, pair: configuration.signInThrottle, account: configuration.accountSignInThrottle, now: now)
        guard case .evaluate(let reserved) = decision else {
            guard case .wait(let allowed) = decision else { throw Abort(.internalServerError) }
            try await req.audit(.signInThrottled, .user, id: user.id?.uuidString, outcome: .denied, detail: "second factor")
            let minutes = max(1, Int((allowed.timeIntervalSince(now) / 60).rounded(.up)))
            errors.add("code", "Too many failed attempts. Wait \(minutes) minute\(minutes == 1 ? "" : "s") and try again")
            let response = try await render(req, errors, status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(allowed.timeIntervalSince(now).rounded(.up))))
            return response
        }
        switch try await TwoFactorCheck.check(code, for: user.id!, on: req) {
        case .authenticator:
            forget(req)
            return try await SignInController.complete(req, user: user, next: pending.next, forgive: pending.reserved + reserved, detail: "second factor: authenticator")
        case .recoveryCode(let left):
            forget(req)
            let response = try await SignInController.complete(req, user: user, next: pending.next, forgive: pending.reserved + reserved, detail: "second factor: recovery code")
            req.flash(left == 0
                ? "You have used your last recovery code. Make new ones now, from Two-factor authentication under your account."
                : "You signed in with a recovery code. You have \(left) left: if you have lost your authenticator, set it up again from your account.")
            return response
        case .alreadyUsed:
            try await SignInGate.recordFailure(of: user.id!, on: req.db)
            try await req.audit(.signInFailed, .user, id: user.id?.uuidString, outcome: .failure, detail: "second factor: code already used")
            errors.add("code", "That code has already been used. Wait for your app to show a new code, then enter it")
            return try await render(req, errors, status: .unauthorized)
        case .wrong:
            try await SignInGate.recordFailure(of: user.id!, on: req.db)
            try await req.audit(.signInFailed, .user, id: user.id?.uuidString, outcome: .failure, detail: "second factor: wrong code")
            errors.add("code", "The code is not correct. Enter the code your authenticator app shows now, or a recovery code")
            return try await render(req, errors, status: .unauthorized)
        }
    }
}
