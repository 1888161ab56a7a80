import Fluent
import Foundation
import LanternCore
import Vapor

/// A person's choice of reminder emails. The daily email of what is due can be turned off;
/// safeguarding alerts (a new report, for safeguarding leads) cannot.
struct EmailChoicesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let page = routes.signedIn().grouped("account", "email")
        page.get(use: show)
        page.post(use: save)
    }

    struct View: Encodable {
        let email: String
        let dailyDigest: Bool
        let receivesAlerts: Bool
    }

    struct Form: Content { var dailyDigest: String? }

    func show(req: Request) async throws -> Response {
        let user = req.currentUser!
        let view = View(email: user.email, dailyDigest: user.dailyDigest != false, receivesAlerts: user.role == .safeguardingLead)
        return try await req.render("People/email-choices", view, title: "Email reminders")
    }

    func save(req: Request) async throws -> Response {
        let user = req.currentUser!
        let wanted = try req.form(Form.self).dailyDigest == "yes"
        user.dailyDigest = wanted
        try await req.write(user, .update, .user, detail: "daily reminder email \(wanted ? "on" : "off")")
        return req.redirect(to: "/account/email", saying: wanted ? "You will get a daily email when something is due." : "You will no longer get the daily email.")
    }
}
