import Fluent
import Foundation
import LanternCore
import Vapor

/// An invited person opens their link and chooses a password.
struct InvitationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("invitations", ":token", use: show)
        routes.post("invitations", ":token", use: accept)
    }

    struct View: Encodable {
        let name: String
        let email: String
        let errors: FormErrors
    }

    struct Form: Content {
        var newPassword: String?
        var confirmPassword: String?
    }

    private func invitedUser(_ req: Request) async throws -> User {
        guard let token = req.parameters.get("token"), token.count <= 100,
              let user = try await User.query(on: req.db)
                .filter(\.$invitationDigest == SecretToken.digest(token)).first(),
              user.isActive, let expires = user.invitationExpiresAt, expires > req.lantern.now()
        else {
            throw LanternError(.notFound, title: "This invitation link does not work",
                               "The link may have expired (links last 7 days), been used already, or been copied incompletely. Ask your administrator for a new one.")
        }
        return user
    }

    func show(req: Request) async throws -> Response {
        let user = try await invitedUser(req)
        return try await req.render("People/accept-invitation", View(name: user.displayName, email: user.email, errors: FormErrors()),
                                    title: "Choose your password")
    }

    func accept(req: Request) async throws -> Response {
        let user = try await invitedUser(req)
        let form = try req.form(Form.self)
        var errors = FormErrors()
        let password = form.newPassword ?? ""
        for problem in PasswordPolicy.problems(with: password, email: user.email) { errors.add("newPassword", problem) }
        if password != (form.confirmPassword ?? "") { errors.add("confirmPassword", "The passwords do not match") }
        guard errors.isEmpty else {
            return try await req.render("People/accept-invitation", View(name: user.displayName, email: user.email, errors: errors),
                                        title: "Choose your password", status: .unprocessableEntity)
        }
        user.passwordHash = try await req.password.async.hash(password)
        user.invitationDigest = nil
        user.invitationExpiresAt = nil
        try await req.write(user, .acceptInvitation, .user)
        return req.redirect(to: "/sign-in", saying: "Your password has been set. Sign in to continue.")
    }
}
