import Fluent
import Foundation
import LanternCore
import Vapor

/// Case and concern content goes only to the owner, the assigned team and the safeguarding
/// leads; anyone else is refused and the refusal is audited. Lists filter by the same rule as
/// record pages (`shared/docs/domain/security.md` §3, need-to-know and deny by default).
enum NeedToKnow {
    static func mayOpen(_ safeguardingCase: SafeguardingCase, _ user: User) -> Bool {
        guard user.can(.viewCases) else { return false }
        if user.can(.overseeAllCases) { return true }
        if let owner = safeguardingCase.$owner.id, owner == user.id { return true }
        if let team = safeguardingCase.$team.id, team == user.$team.id { return true }
        return false
    }

    static func cases(_ req: Request, _ user: User) -> QueryBuilder<SafeguardingCase> {
        let query = SafeguardingCase.query(on: req.db)
        if user.can(.overseeAllCases) { return query }
        return query.group(.or) { or in
            or.filter(\.$owner.$id == user.id!)
            if let team = user.$team.id { or.filter(\.$team.$id == team) }
        }
    }

    static func mayOpen(_ concern: Concern, _ user: User, on db: any Database) async throws -> Bool {
        guard user.can(.handleConcerns) else { return false }
        if user.can(.overseeAllCases) { return true }
        if let handler = concern.$handler.id, handler == user.id { return true }
        guard let team = user.$team.id else { return false }
        return try await ConcernTeam.query(on: db).filter(\.$concern.$id == concern.id!).filter(\.$team.$id == team).countRows() > 0
    }

    static func concerns(_ req: Request, _ user: User) -> QueryBuilder<Concern>? {
        if user.can(.overseeAllCases) { return Concern.query(on: req.db) }
        guard let team = user.$team.id else { return nil }
        return Concern.query(on: req.db).join(ConcernTeam.self, on: \Concern.$id == \ConcernTeam.$concern.$id)
            .filter(ConcernTeam.self, \.$team.$id == team)
    }

    /// Loads the case named in the path, refusing (and auditing) anyone without need to know.
    static func requireCase(_ req: Request, _ parameter: String = "caseID") async throws -> SafeguardingCase {
        guard let user = req.currentUser else { throw LanternError(.unauthorized, "Sign in to use this page.") }
        guard let id = req.parameters.get(parameter, as: UUID.self),
              let found = try await SafeguardingCase.find(id, on: req.db) else {
            throw LanternError(.notFound, "There is no such case.")
        }
        guard mayOpen(found, user) else {
            try await req.audit(.permissionRefused, "Case", id: id.uuidString, outcome: .denied, detail: "need to know")
            throw LanternError(.forbidden, title: "This case is not shared with you",
                               "Cases are open to their owner, their team and the safeguarding leads. Ask a safeguarding lead if you need access.")
        }
        // A restricted or erased case can be read but not changed (UK GDPR Art. 18 and 17).
        if req.method == .POST, found.restrictedAt != nil || found.erasedAt != nil {
            try await req.audit(.update, "Case", id: id.uuidString, outcome: .denied, detail: found.erasedAt != nil ? "erased" : "restricted")
            throw LanternError(.conflict, title: found.erasedAt != nil ? "This case's personal data was erased" : "Processing of this case is restricted",
                               found.erasedAt != nil ? "Nothing more can be recorded on it." : "The person has asked for processing to be restricted. Nothing can be changed until the data protection officer lifts the restriction.")
        }
        return found
    }

    static func requireConcern(_ req: Request) async throws -> Concern {
        guard let user = req.currentUser else { throw LanternError(.unauthorized, "Sign in to use this page.") }
        guard let id = req.parameters.get("concernID", as: UUID.self),
              let found = try await Concern.find(id, on: req.db) else {
            throw LanternError(.notFound, "There is no such concern.")
        }
        guard try await mayOpen(found, user, on: req.db) else {
            try await req.audit(.permissionRefused, "Concern", id: id.uuidString, outcome: .denied, detail: "need to know")
            throw LanternError(.forbidden, title: "This concern is not shared with you",
                               "Concerns are open to the teams they are routed to, their handler and the safeguarding leads.")
        }
        return found
    }
}
