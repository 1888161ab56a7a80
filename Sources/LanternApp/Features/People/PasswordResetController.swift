import Fluent
import Foundation
import LanternCore
import Vapor

/// Password reset by email: a single-use link valid for 30 minutes, of which only the digest is
/// kept. The page answers the same whether or not the address has an account, and using the
/// link ends every session the person had (`shared/docs/domain/security.md` §5). Where the
/// organisation requires single sign-on, no link is sent (but to the break-glass administrator).
struct PasswordResetController: RouteCollection {
    static let linkLifetime: TimeInterval = 30 * 60
    /// A second request for the same account within this time sends nothing more, so the form
    /// cannot be used to flood someone's inbox.
    static let quietPeriod: TimeInterval = 2 * 60

    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", "forgotten-password", use: showRequest)
        routes.post("sign-in", "forgotten-password", use: request)
        routes.get("sign-in", "reset", ":token", use: showReset)
        routes.post("sign-in", "reset", ":token", use: reset)
    }

    struct RequestView: Encodable {
        var email: String
        var sent: Bool
        var errors: FormErrors
    }

    struct RequestForm: Content { var email: String? }

    func showRequest(req: Request) async throws -> Response {
        try await req.render("People/forgotten-password", RequestView(email: "", sent: false, errors: FormErrors()), title: "Reset your password")
    }

    func request(req: Request) async throws -> Response {
        let email = User.normalise(email: try req.form(RequestForm.self).email ?? "")
        var errors = FormErrors()
        if email.isEmpty { errors.add("email", "Enter your email address") }
        else if !EmailAddress.isPlausible(email) { errors.add("email", "Enter an email address in the correct format, like name@example.gov.uk") }
        guard errors.isEmpty else {
            return try await req.render("People/forgotten-password", RequestView(email: email, sent: false, errors: errors),
                                        title: "Reset your password", status: .unprocessableEntity)
        }
        let now = req.lantern.now()
        let organisation = try await req.organisation()
        if let user = try await User.query(on: req.db).filter(\.$email == email).first(), user.isActive, user.passwordHash != nil,
           req.application.identityProvider == nil || organisation?.requiresSingleSignOn(for: user) != true,
           user.resetRequestedAt.map({ now.timeIntervalSince($0) >= Self.quietPeriod }) ?? true {
            let token = SecretToken.generate()
            user.resetDigest = SecretToken.digest(token)
            user.resetExpiresAt = now.addingTimeInterval(Self.linkLifetime)
            user.resetRequestedAt = now
            let link = Mailbox.link(req.application, "/sign-in/reset/\(token)")
            try await req.db.writeTransaction { db in
                try await user.save(on: db)
                try await Mailbox.enqueue(MailMessage(to: user.email, subject: "Reset your Lantern password", body: """
                    Someone asked to reset the password for your Lantern account.

                    To choose a new password, open this link within 30 minutes. It works once:

                    \(link)

                    If this was not you, ignore this email: your password has not changed. Tell your Lantern administrator if it keeps happening.
                    """), kind: "password-reset", on: db, cipher: req.cipher, now: now)
                try await req.audit(.update, .user, id: user.id?.uuidString, detail: "password reset link sent", on: db)
            }
        }
        // The same page whatever happened, so it tells no one who has an account.
        return try await req.render("People/forgotten-password", RequestView(email: email, sent: true, errors: FormErrors()), title: "Check your email")
    }

    struct ResetView: Encodable {
        var token: String
        var errors: FormErrors
    }

    struct ResetForm: Content {
        var newPassword: String?
        var confirmPassword: String?
    }

    /// The person the link is for, while it is unused and in time.
    private func holder(_ req: Request) async throws -> (User, String)? {
        guard let token = req.parameters.get("token"), token.count < 100 else { return nil }
        guard let user = try await User.query(on: req.db).filter(\.$resetDigest == SecretToken.digest(token)).first(),
              user.isActive, let expires = user.resetExpiresAt, expires > req.lantern.now() else { return nil }
        return (user, token)
    }

    private func expired(_ req: Request) async throws -> Response {
        try await req.render("People/reset-expired", EmptyView(), title: "This link has expired", status: .gone)
    }

    struct EmptyView: Encodable {}

    func showReset(req: Request) async throws -> Response {
        guard let (_, token) = try await holder(req) else { return try await expired(req) }
        return try await req.render("People/reset-password", ResetView(token: token, errors: FormErrors()), title: "Choose a new password")
    }

    func reset(req: Request) async throws -> Response {
        guard let (user, token) = try await holder(req) else { return try await expired(req) }
        let form = try req.form(ResetForm.self)
        let new = form.newPassword ?? ""
        var errors = FormErrors()
        for problem in PasswordPolicy.problems(with: new, email: user.email) { errors.add("newPassword", problem) }
        if new != (form.confirmPassword ?? "") { errors.add("confirmPassword", "The passwords do not match") }
        guard errors.isEmpty else {
            return try await req.render("People/reset-password", ResetView(token: token, errors: errors), title: "Choose a new password", status: .unprocessableEntity)
        }
        user.passwordHash = try await req.password.async.hash(new)
        user.resetDigest = nil
        user.resetExpiresAt = nil
        user.failedSignIns = 0
        try await req.db.writeTransaction { db in
            try await user.save(on: db)
            try await DatabaseSessionDriver.endSessions(of: user.id!, on: db)
            try await req.audit(.passwordChange, .user, id: user.id?.uuidString, detail: "reset by email link", on: db)
        }
        return req.redirect(to: "/sign-in", saying: "Your password has been changed, and you have been signed out everywhere. Sign in with your new password.")
    }
}

struct AddPasswordResetAndMailChoices: AsyncMigration {
    var name: String { "2026-12-06-password-reset-and-mail-choices" }

    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds only one column per ALTER TABLE.
        for (column, type) in Self.columns { try await database.schema(User.schema).field(.string(column), type).update() }
    }

    static let columns: [(String, DatabaseSchema.DataType)] = [
        ("reset_digest", .string), ("reset_expires_at", .datetime), ("reset_requested_at", .datetime), ("daily_digest", .bool),
    ]

    func revert(on database: any Database) async throws {
        for (column, _) in Self.columns.reversed() { try await database.schema(User.schema).deleteField(.string(column)).update() }
    }
}
