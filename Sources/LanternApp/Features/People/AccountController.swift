import Fluent
import Foundation
import LanternCore
import Vapor

/// A signed-in person's own account: changing their password.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let account = routes.signedIn().grouped("account")
        account.get("password", use: showPassword)
        account.post("password", use: changePassword)
    }

    struct PasswordForm: Content {
        var currentPassword: String?
        var newPassword: String?
        var confirmPassword: String?
    }

    struct PasswordView: Encodable {
        var errors: FormErrors
    }

    func showPassword(req: Request) async throws -> Response {
        try await req.render("People/password", PasswordView(errors: FormErrors()), title: "Change your password")
    }

    func changePassword(req: Request) async throws -> Response {
        let user = req.currentUser!
        let form = try req.form(PasswordForm.self)
        var errors = FormErrors()
        let current = form.currentPassword ?? ""
        let new = form.newPassword ?? ""
        if current.isEmpty {
            errors.add("currentPassword", "Enter your current password")
        } else if let hash = user.passwordHash, !((try? await req.password.async.verify(current, created: hash)) ?? false) {
            errors.add("currentPassword", "Your current password is not correct")
        }
        for problem in PasswordPolicy.problems(with: new, email: user.email) {
            errors.add("newPassword", problem)
        }
        if new != (form.confirmPassword ?? "") {
            errors.add("confirmPassword", "The passwords do not match")
        }
        guard errors.isEmpty else {
            // Passwords are never echoed back into the form.
            return try await req.render("People/password", PasswordView(errors: errors),
                                        title: "Change your password", status: .unprocessableEntity)
        }
        user.passwordHash = try await req.password.async.hash(new)
        let thisSession = req.session.id
        try await req.db.writeTransaction { db in
            try await user.save(on: db)
            try await DatabaseSessionDriver.endSessions(of: user.id!, on: db, except: thisSession)
            try await req.audit(.passwordChange, .user, id: user.id?.uuidString, on: db)
        }
        return req.redirect(to: "/home", saying: "Your password has been changed. Any other sessions you had open have been signed out.")
    }
}
