import Fluent
import Foundation
import LanternCore
import Vapor

/// An administrator resets someone's second factor (a lost phone). For a role that sees case
/// content a second person must approve it, as for giving that role (`RoleGrantRule`): the
/// request waits on the role requests page, and nothing changes until it is approved. The
/// request and the reset are audited, and the reset ends the person's sessions.
struct TwoFactorReset: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.manageUsers).post("admin", "users", ":userID", "two-factor", "reset", use: reset)
    }

    /// Removes the authenticator and recovery codes and signs the person out everywhere; they
    /// set a new one up at their next sign-in where it is required.
    static func perform(on person: User, req: Request, db: any Database) async throws {
        try await TwoFactorCheck.remove(for: person, on: db)
        try await DatabaseSessionDriver.endSessions(of: person.id!, on: db)
    }

    func reset(req: Request) async throws -> Response {
        guard let id = req.parameters.get("userID").flatMap(UUID.init(uuidString:)),
              let person = try await User.query(on: req.db).filter(\.$id == id).with(\.$team).first() else { throw LanternError.notFound }
        let back = "/admin/users/\(id.uuidString)"
        guard person.id != req.currentUser?.id else {
            throw LanternError(.forbidden, title: "Not your own", "You cannot reset your own two-factor authentication here: use Two-factor authentication under your account, or ask another administrator.")
        }
        guard person.twoFactorAt != nil else {
            return req.redirect(to: back, saying: "\(person.displayName) has no two-factor authentication to reset.")
        }
        guard person.seesCaseContent else {
            try await req.db.writeTransaction { db in
                try await Self.perform(on: person, req: req, db: db)
                try await req.audit(.update, .user, id: person.id?.uuidString, detail: "two-factor reset", on: db)
            }
            return req.redirect(to: back, saying: "\(person.displayName)'s two-factor authentication has been reset and they have been signed out.")
        }
        let approver = RoleGrantRule.approver(for: person.role) == .dataProtectionOfficer ? "the data protection officer" : "a safeguarding lead"
        if try await RoleGrantRequest.pending(for: id, kind: .twoFactorReset, on: req.db) != nil {
            return req.redirect(to: back, saying: "A reset of \(person.displayName)'s two-factor authentication is already waiting for \(approver) to approve it.")
        }
        let request = RoleGrantRequest(userID: id, role: person.role, teamID: person.$team.id, requestedBy: req.currentUser!.id!, at: req.lantern.now())
        request.kind = .twoFactorReset
        try await req.db.writeTransaction { db in
            try await request.create(on: db)
            try await req.audit(.update, .user, id: person.id?.uuidString,
                                detail: "two-factor reset requested, for approval by \(RoleGrantRule.approver(for: person.role).rawValue)", on: db)
        }
        return req.redirect(to: back, saying: "\(person.displayName)'s role sees case content, so the reset happens once \(approver) approves it.")
    }
}
