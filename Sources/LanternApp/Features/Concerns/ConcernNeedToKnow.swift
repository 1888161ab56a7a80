import Fluent
import FluentSQL
import Foundation
import LanternCore
import SQLKit
import Vapor

extension NeedToKnow {
    /// The concerns a person may see: those routed to their team, those they handle, or all
    /// for the safeguarding leads.
    enum ConcernScope: Equatable {
        case none, all
        case handledOrTeam(handler: UUID, team: UUID?)

        init(_ user: User) {
            if !user.can(.handleConcerns) { self = .none }
            else if user.can(.overseeAllCases) { self = .all }
            else { self = .handledOrTeam(handler: user.id!, team: user.$team.id) }
        }

        func allows(_ concern: Concern, on db: any Database) async throws -> Bool {
            if case .handledOrTeam(let handler, let team?) = self, concern.$handler.id != handler {
                return allows(concern, routedTo: try await NeedToKnow.routedTeams(of: [concern.id!], on: db)[concern.id!] ?? [])
            }
            return allows(concern, routedTo: [])
        }

        /// The same rule, for a concern whose routed teams are already known (checking many at once).
        func allows(_ concern: Concern, routedTo teams: Set<UUID>) -> Bool {
            switch self {
            case .none: return false
            case .all: return true
            case .handledOrTeam(let handler, let team):
                return concern.$handler.id == handler || team.map(teams.contains) == true
            }
        }

        func apply(_ query: QueryBuilder<Concern>) -> QueryBuilder<Concern> {
            switch self {
            case .none: return query.filter(\.$id == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
            case .all: return query
            case .handledOrTeam(let handler, let team):
                return query.group(.or) { or in
                    or.filter(\.$handler.$id == handler)
                    if let team {
                        or.filter(.sql(embed: "\(ident: Concern.schema).\(ident: "id") IN (SELECT \(ident: "concern_id") FROM \(ident: ConcernTeam.schema) WHERE \(ident: "team_id") = \(bind: team))"))
                    }
                }
            }
        }

        /// The same rule as SQL text, for statements written by hand (the home page's counts);
        /// nil when every concern is allowed.
        var condition: SQLQueryString? {
            switch self {
            case .none: return "1 = 0"
            case .all: return nil
            case .handledOrTeam(let handler, nil): return "concerns.handler_id = \(bind: handler)"
            case .handledOrTeam(let handler, let team?):
                return "(concerns.handler_id = \(bind: handler) OR concerns.id IN (SELECT concern_id FROM concern_teams WHERE team_id = \(bind: team)))"
            }
        }
    }

    /// The teams each concern is routed to, in one query.
    static func routedTeams(of concerns: [UUID], on db: any Database) async throws -> [UUID: Set<UUID>] {
        var teams: [UUID: Set<UUID>] = [:]
        for link in try await ConcernTeam.query(on: db).filter(\.$concern.$id ~~ concerns).all() {
            if let team = link.$team.id { teams[link.$concern.id, default: []].insert(team) }
        }
        return teams
    }

    static func mayOpen(_ concern: Concern, _ user: User, on db: any Database) async throws -> Bool {
        try await ConcernScope(user).allows(concern, on: db)
    }

    static func concerns(_ req: Request, _ user: User) -> QueryBuilder<Concern>? {
        let scope = ConcernScope(user)
        return scope == .none ? nil : scope.apply(Concern.query(on: req.db))
    }

    static func requireConcern(_ req: Request) async throws -> Concern {
        guard let user = req.currentUser else { throw LanternError(.unauthorized, "Sign in to use this page.") }
        guard let id = req.parameters.get("concernID", as: UUID.self),
              let found = try await Concern.find(id, on: req.db) else {
            throw LanternError(.notFound, "There is no such concern.")
        }
        guard try await mayOpen(found, user, on: req.db) else {
            try await req.audit(.permissionRefused, .concern, id: id.uuidString, outcome: .denied, detail: "need to know")
            throw LanternError(.forbidden, title: "This concern is not shared with you",
                               "Concerns are open to the teams they are routed to, their handler and the safeguarding leads.")
        }
        return found
    }
}
