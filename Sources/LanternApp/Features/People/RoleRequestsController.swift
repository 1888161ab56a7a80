import Fluent
import Foundation
import LanternCore
import Vapor

/// The second person's side of `RoleGrantRule`: a safeguarding lead (or the data protection
/// officer, for that role) sees the open requests they may decide, and approves or refuses
/// each. Nobody decides a request they made. Both the request and the decision are audited.
struct RoleRequestsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let requests = routes.requiring(.approveRoleGrants).grouped("role-requests")
        requests.get(use: list)
        requests.post(":requestID", "approve", use: approve)
        requests.post(":requestID", "refuse", use: refuse)
    }

    struct Row: Encodable {
        let id: String
        let name: String
        let email: String
        let currentRole: String
        let requestedRole: String
        let team: String
        let requestedBy: String
        let requestedAt: String
        let mine: Bool
    }

    func list(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw LanternError(.unauthorized, "Sign in to use this page.") }
        let open = try await RoleGrantRequest.query(on: req.db).filter(\.$outcome == nil).with(\.$user).sort(\.$requestedAt).all()
        let teams = Dictionary(uniqueKeysWithValues: try await Team.query(on: req.db).all().map { ($0.id!, $0.name) })
        let people = Dictionary(uniqueKeysWithValues: try await User.query(on: req.db).all().map { ($0.id!, $0.displayName) })
        let rows = open.filter { RoleGrantRule.approver(for: $0.role) == user.role }.map { r in
            Row(id: r.id!.uuidString, name: r.user.displayName, email: r.user.email,
                currentRole: r.user.roleApproved == false ? "None yet (new account)" : r.user.role.displayName,
                requestedRole: r.kind == .twoFactorReset ? "Reset two-factor authentication (role stays \(r.role.displayName))" : r.role.displayName, team: r.teamID.flatMap { teams[$0] } ?? "None",
                requestedBy: people[r.requestedBy] ?? "Unknown", requestedAt: DisplayDate.dateTime(r.requestedAt),
                mine: r.requestedBy == user.id)
        }
        struct View: Encodable { let rows: [Row] }
        return try await req.render("People/role-requests", View(rows: rows), title: "Role requests")
    }

    func approve(req: Request) async throws -> Response { try await decide(req, .approved) }
    func refuse(req: Request) async throws -> Response { try await decide(req, .refused) }

    private func decide(_ req: Request, _ outcome: RoleGrantRequest.Outcome) async throws -> Response {
        guard let decider = req.currentUser else { throw LanternError(.unauthorized, "Sign in to use this page.") }
        guard let id = req.parameters.get("requestID", as: UUID.self),
              let request = try await RoleGrantRequest.query(on: req.db).filter(\.$id == id).with(\.$user).first() else {
            throw LanternError(.notFound, title: "Request not found", "The request may have been decided already.")
        }
        guard request.outcome == nil else {
            throw LanternError(.conflict, title: "Already decided", "This request was \(request.outcome!.rawValue) already.")
        }
        guard RoleGrantRule.approver(for: request.role) == decider.role else {
            throw LanternError(.forbidden, title: "Not yours to decide", "A request for the \(request.role.displayName) role is decided by the \(RoleGrantRule.approver(for: request.role).displayName.lowercased()).")
        }
        guard request.requestedBy != decider.id, request.$user.id != decider.id else {
            throw LanternError(.forbidden, title: "Someone else must decide", "A role that sees case content needs a second person: you cannot decide a request you made, or one about yourself.")
        }
        let person = request.user
        let now = req.lantern.now()
        if request.kind == .twoFactorReset {
            try await req.db.writeTransaction { db in
                request.outcome = outcome
                request.decidedBy = decider.id
                request.decidedAt = now
                try await request.save(on: db)
                if outcome == .approved { try await TwoFactorReset.perform(on: person, req: req, db: db) }
                try await req.audit(.update, .user, id: person.id?.uuidString, detail: "two-factor reset \(outcome.rawValue)", on: db)
            }
            return req.redirect(to: "/role-requests", saying: "\(person.displayName): reset of two-factor authentication \(outcome == .approved ? "approved. They set it up again when they next sign in" : "refused").")
        }
        try await req.db.writeTransaction { db in
            request.outcome = outcome
            request.decidedBy = decider.id
            request.decidedAt = now
            try await request.save(on: db)
            if outcome == .approved {
                person.role = request.role
                person.$team.id = request.teamID
                // A role that sees case content is the council's, never a partner's staff.
                person.partnerID = nil
                person.roleApproved = true
                try await person.save(on: db)
            }
        }
        if outcome == .approved {
            // A change of privilege ends the person's sessions (`shared/docs/domain/security.md` §5).
            try await DatabaseSessionDriver.endSessions(of: person.id!, on: req.db)
        }
        try await req.audit(outcome == .approved ? .roleChange : .update, .user, id: person.id?.uuidString,
                            detail: "role request \(outcome.rawValue): \(request.role.rawValue)")
        return req.redirect(to: "/role-requests", saying: "\(person.displayName): \(request.role.displayName) role \(outcome == .approved ? "approved" : "refused").")
    }
}
