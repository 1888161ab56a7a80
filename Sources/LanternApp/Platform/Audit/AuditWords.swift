import Fluent
import Foundation
import LanternCore

/// The audit log in plain words: what was done, to which record by its reference or name
/// rather than its id, and how it ended. The stored rows keep their codes.
enum AuditWords {
    static func action(_ raw: String) -> String {
        switch raw {
        case "sign_in": "Signed in"
        case "sign_in_failed": "Sign-in failed"
        case "sign_in_throttled": "Sign-in slowed after failed attempts"
        case "sign_out": "Signed out"
        case "permission_refused": "Refused: not in their role"
        case "read": "Viewed"
        case "create": "Created"
        case "update": "Changed"
        case "delete": "Deleted"
        case "export": "Downloaded or exported"
        case "import": "Imported"
        case "assess": "Assessed"
        case "password_change": "Changed password"
        case "role_change": "Changed role"
        case "deactivate": "Deactivated"
        case "reactivate": "Reactivated"
        case "invite": "Invited"
        case "accept_invitation": "Accepted invitation"
        case "api_call": "Called the API"
        case "revoke": "Revoked"
        default: raw.replacingOccurrences(of: "_", with: " ")
        }
    }

    static func outcome(_ raw: String) -> String {
        switch raw {
        case "success": "Done"
        case "denied": "Refused"
        case "failure": "Failed"
        default: raw
        }
    }

    /// "ContractRisk" is "Contract risk"; the referral rows keep their old stored name.
    static func entity(_ raw: String) -> String {
        if raw == AuditEntity.homeOfficeReferral.rawValue { return "Home Office referral" }
        if raw == AuditEntity.contractKPI.rawValue { return "Contract KPI" }
        if raw == AuditEntity.apiToken.rawValue { return "API token" }
        if raw == AuditEntity.contractKPIValue.rawValue { return "Contract KPI value" }
        var words: [String] = []
        for character in raw {
            if character.isUppercase || words.isEmpty { words.append(String(character)) } else { words[words.count - 1].append(character) }
        }
        return words.enumerated().map { $0.offset == 0 ? $0.element : $0.element.lowercased() }.joined(separator: " ")
    }

    /// The references and names of the records the rows name, so a row reads "Case CASE-26-AB12CD"
    /// rather than a UUID. A case or concern outside the reader's need to know keeps a short
    /// id: its reference is not theirs to see.
    static func names(for entries: [AuditEntry], reader: User, on db: any Database) async throws -> [String: String] {
        func ids(_ entity: AuditEntity) -> [UUID] {
            entries.filter { $0.entityType == entity.rawValue }.compactMap { $0.entityID.flatMap(UUID.init(uuidString:)) }
        }
        var names: [String: String] = [:]
        for c in try await SafeguardingCase.query(on: db).filter(\.$id ~~ ids(.case)).all() {
            names[c.id!.uuidString] = NeedToKnow.mayOpen(c, reader) ? c.reference : short(c.id!)
        }
        let concerns = try await Concern.query(on: db).filter(\.$id ~~ ids(.concern)).all()
        let routed = try await NeedToKnow.routedTeams(of: concerns.compactMap(\.id), on: db)
        let scope = NeedToKnow.ConcernScope(reader)
        for c in concerns {
            names[c.id!.uuidString] = scope.allows(c, routedTo: routed[c.id!] ?? []) ? c.reference : short(c.id!)
        }
        for c in try await Contract.query(on: db).filter(\.$id ~~ ids(.contract)).all() { names[c.id!.uuidString] = c.reference.map { "\($0) \(c.title)" } ?? c.title }
        for s in try await Supplier.query(on: db).filter(\.$id ~~ ids(.supplier)).all() { names[s.id!.uuidString] = s.name }
        for t in try await Team.query(on: db).filter(\.$id ~~ ids(.team)).all() { names[t.id!.uuidString] = t.name }
        for u in try await User.query(on: db).filter(\.$id ~~ ids(.user)).all() { names[u.id!.uuidString] = u.email }
        return names
    }

    static func short(_ id: UUID) -> String { "(id " + id.uuidString.prefix(8) + "…)" }
}
