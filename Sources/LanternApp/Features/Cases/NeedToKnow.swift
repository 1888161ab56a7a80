import Fluent
import FluentSQL
import Foundation
import LanternCore
import SQLKit
import Vapor

/// Case and concern content goes only to the owner, the assigned team and the safeguarding
/// leads (the concerns' half is in `Concerns/ConcernNeedToKnow.swift`); anyone else is refused and the refusal is audited. Lists filter by the same rule as
/// record pages (`shared/docs/domain/security.md` §3, need-to-know and deny by default).
enum NeedToKnow {
    /// The cases a person may see, written once: record pages, lists, counts and exports all
    /// ask this.
    enum CaseScope: Equatable {
        case none, all
        /// Cases they own, and their team's.
        case ownedOrTeam(owner: UUID, team: UUID?)

        init(_ user: User) {
            if !user.can(.viewCases) { self = .none }
            else if user.can(.overseeAllCases) { self = .all }
            else { self = .ownedOrTeam(owner: user.id!, team: user.$team.id) }
        }

        func allows(_ c: SafeguardingCase) -> Bool {
            switch self {
            case .none: false
            case .all: true
            case .ownedOrTeam(let owner, let team): c.$owner.id == owner || (team != nil && c.$team.id == team)
            }
        }

        func apply(_ query: QueryBuilder<SafeguardingCase>) -> QueryBuilder<SafeguardingCase> {
            switch self {
            case .none: return query.filter(\.$id == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
            case .all: return query
            case .ownedOrTeam(let owner, let team):
                return query.group(.or) { or in
                    or.filter(\.$owner.$id == owner)
                    if let team { or.filter(\.$team.$id == team) }
                }
            }
        }

        /// The rule as parts whose counts add up to its count, each answered from one index alone
        /// (`AddCaseScopeIndexes`): the team's cases, and the person's own outside the team. One
        /// count over "owner or team" reads every case of the status asked.
        var countedParts: [[SQLQueryString]] {
            switch self {
            case .none: return []
            case .all: return [[]]
            case .ownedOrTeam(let owner, let team?):
                return [["team_id = \(bind: team)"], ["owner_id = \(bind: owner)", "(team_id <> \(bind: team) OR team_id IS NULL)"]]
            case .ownedOrTeam(let owner, nil): return [["owner_id = \(bind: owner)"]]
            }
        }

        /// The same rule as SQL text over the cases table's own columns, for statements written
        /// by hand (the case list, the home page); nil when every case is allowed.
        var condition: SQLQueryString? {
            switch self {
            case .none: return "1 = 0"
            case .all: return nil
            case .ownedOrTeam(let owner, nil): return "owner_id = \(bind: owner)"
            case .ownedOrTeam(let owner, let team?): return "(owner_id = \(bind: owner) OR team_id = \(bind: team))"
            }
        }
    }

    static func mayOpen(_ safeguardingCase: SafeguardingCase, _ user: User) -> Bool {
        CaseScope(user).allows(safeguardingCase)
    }

    static func cases(_ req: Request, _ user: User) -> QueryBuilder<SafeguardingCase> {
        CaseScope(user).apply(SafeguardingCase.query(on: req.db))
    }

    /// Loads the case named in the path, refusing (and auditing) anyone without need to know.
    static func requireCase(_ req: Request, _ parameter: String = "caseID") async throws -> SafeguardingCase {
        guard let user = req.currentUser else { throw LanternError(.unauthorized, "Sign in to use this page.") }
        guard let id = req.parameters.get(parameter, as: UUID.self),
              // Read by hand-listed fields: every page of a case starts here.
              let found = try await SafeguardingCase.rows([.equals("id", id)], on: req.reads).first else {
            throw LanternError(.notFound, "There is no such case.")
        }
        guard mayOpen(found, user) else {
            try await req.audit(.permissionRefused, .case, id: id.uuidString, outcome: .denied, detail: "need to know")
            throw LanternError(.forbidden, title: "This case is not shared with you",
                               "Cases are open to their owner, their team and the safeguarding leads. Ask a safeguarding lead if you need access.")
        }
        // A restricted or erased case can be read but not changed (UK GDPR Art. 18 and 17).
        if req.method == .POST, found.restrictedAt != nil || found.erasedAt != nil {
            try await req.audit(.update, .case, id: id.uuidString, outcome: .denied, detail: found.erasedAt != nil ? "erased" : "restricted")
            throw LanternError(.conflict, title: found.erasedAt != nil ? "This case's personal data was erased" : "Processing of this case is restricted",
                               found.erasedAt != nil ? "Nothing more can be recorded on it." : "The person has asked for processing to be restricted. Nothing can be changed until the data protection officer lifts the restriction.")
        }
        return found
    }
}
