import Fluent
import Foundation
import LanternCore
import Vapor

/// Browsing and filtering the audit log. Read-only: there is no route that changes a row.
struct AuditController: RouteCollection {
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        let audit = routes.requiring(.viewAuditLog).grouped("audit")
        audit.get(use: list)
        audit.get("verify", use: verify)
    }

    struct Filter: Content {
        var action: String?
        var entityType: String?
        var actor: String?
        var outcome: String?
        var from: String?
        var to: String?
        var page: Int?
    }

    struct Row: Encodable {
        let sequence: Int64
        let at: String
        let actor: String
        let role: String
        let action: String
        let entity: String
        let outcome: String
        let outcomeLabel: String
        let detail: String
        let requestID: String
    }

    struct View: Encodable {
        let rows: [Row]
        let filter: Filter
        let actions: [SelectOption]
        let outcomes: [SelectOption]
        let entityTypes: [SelectOption]
        let page: Int
        let previousPage: Int?
        let nextPage: Int?
        let total: Int
        let queryWithoutPage: String
        let errors: FormErrors
    }

    func list(req: Request) async throws -> Response {
        let filter = try req.query.decode(Filter.self)
        var errors = FormErrors()
        var query = AuditEntry.query(on: req.db)
        if let action = filter.action, !action.isEmpty { query = query.filter(\.$action == action) }
        if let type = filter.entityType?.trimmingCharacters(in: .whitespaces), !type.isEmpty { query = query.filter(\.$entityType == type) }
        if let outcome = filter.outcome, !outcome.isEmpty { query = query.filter(\.$outcome == outcome) }
        if let actor = filter.actor?.trimmingCharacters(in: .whitespaces), !actor.isEmpty {
            let ids = try await User.query(on: req.db).filter(\.$email == User.normalise(email: actor)).all().compactMap { $0.id?.uuidString }
            query = query.filter(\.$actorID ~~ (ids + [actor]))
        }
        if let from = filter.from, !from.isEmpty {
            if let date = ISODay.parse(from) { query = query.filter(\.$at >= date) }
            else { errors.add("from", "Enter the 'from' date as YYYY-MM-DD") }
        }
        if let to = filter.to, !to.isEmpty {
            if let date = ISODay.parse(to) { query = query.filter(\.$at < date.addingTimeInterval(86_400)) }
            else { errors.add("to", "Enter the 'to' date as YYYY-MM-DD") }
        }
        let total = try await query.count()
        let page = max(1, filter.page ?? 1)
        let entries = try await query.sort(\.$sequence, .descending)
            .range(((page - 1) * Self.pageSize)..<(page * Self.pageSize)).all()
        let actorIDs = Set(entries.compactMap { $0.actorID.flatMap(UUID.init(uuidString:)) })
        let people = try await User.query(on: req.db).filter(\.$id ~~ actorIDs).all()
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id!.uuidString, $0.email) })
        let keys = req.currentUser?.can(.readAuditReasons) == true ? req.lookupKeys : nil
        let records = try await AuditWords.names(for: entries, reader: req.currentUser!, on: req.db)
        let rows = entries.map { e in
            Row(sequence: e.sequence, at: DisplayDate.dateTime(e.at),
                actor: e.actorID.map { $0 == AuditActor.system.id ? "Lantern (scheduled work)" : names[$0] ?? $0 } ?? "Not signed in",
                role: e.actorRole.flatMap(Role.init(rawValue:))?.displayName ?? "",
                action: AuditWords.action(e.action),
                entity: [AuditWords.entity(e.entityType), e.entityID.map { records[$0] ?? $0 }].compactMap { $0 }.joined(separator: " "),
                outcome: e.outcome, outcomeLabel: AuditWords.outcome(e.outcome),
                detail: AuditSealedText.readable(e.detail ?? "", entityType: e.entityType, entityID: e.entityID, keys: keys),
                requestID: e.requestID ?? "")
        }
        let actions = [SelectOption(value: "", label: "Any action", selected: (filter.action ?? "").isEmpty)]
            + Self.knownActions.map { SelectOption(value: $0, label: AuditWords.action($0), selected: $0 == filter.action) }
        let outcomes = [SelectOption(value: "", label: "Any outcome", selected: (filter.outcome ?? "").isEmpty)]
            + ["success", "denied", "failure"].map { SelectOption(value: $0, label: AuditWords.outcome($0), selected: $0 == filter.outcome) }
        let entityTypes = [SelectOption(value: "", label: "Any record", selected: (filter.entityType ?? "").isEmpty)]
            + AuditEntity.allCases.filter { $0 != .test }.map { (AuditWords.entity($0.rawValue), $0.rawValue) }.sorted { $0.0 < $1.0 }
                .map { SelectOption(value: $0.1, label: $0.0, selected: $0.1 == filter.entityType) }
        var components = URLComponents()
        components.queryItems = [("action", filter.action), ("entityType", filter.entityType), ("actor", filter.actor),
                                 ("outcome", filter.outcome), ("from", filter.from), ("to", filter.to)]
            .compactMap { k, v in v.flatMap { $0.isEmpty ? nil : URLQueryItem(name: k, value: $0) } }
        try await req.audit(.read, .auditLog, detail: "page \(page)")
        let view = View(rows: rows, filter: filter, actions: actions, outcomes: outcomes, entityTypes: entityTypes, page: page,
                        previousPage: page > 1 ? page - 1 : nil,
                        nextPage: page * Self.pageSize < total ? page + 1 : nil, total: total,
                        queryWithoutPage: components.percentEncodedQuery ?? "", errors: errors)
        return try await req.render("Audit/list", view, title: "Audit log")
    }

    static let knownActions = [
        "sign_in", "sign_in_failed", "sign_in_throttled", "sign_out", "permission_refused", "read", "create",
        "update", "delete", "export", "password_change", "role_change", "deactivate", "reactivate", "invite",
        "accept_invitation", "import", "assess",
    ]

    struct VerifyView: Encodable {
        let ok: Bool
        let rowsChecked: Int
        let headSequence: Int64
        let headHash: String
        let problem: String
        let archivedThrough: Int64?
        let recordedHeadsChecked: Int
        /// The newest heads recorded outside the database, newest first.
        let recordedHeads: [HeadRow]
    }

    struct HeadRow: Encodable { let day: String; let sequence: Int64; let hash: String }

    func verify(req: Request) async throws -> Response {
        let recorded = AuditHeads.recorded(req.application)
        let result = try await req.lantern.audit.verify(on: req.db, recordedHeads: recorded)
        try await req.audit(.read, .auditLog, detail: "verify")
        let view = VerifyView(ok: result.firstBreak == nil, rowsChecked: result.rowsChecked, headSequence: result.headSequence,
                              headHash: result.headHash, problem: result.firstBreak?.description ?? "",
                              archivedThrough: result.archivedThrough, recordedHeadsChecked: result.recordedHeadsChecked,
                              recordedHeads: recorded.suffix(7).reversed().map { HeadRow(day: Day(parsing: $0.day)?.long ?? $0.day, sequence: $0.sequence, hash: $0.hash) })
        return try await req.render("Audit/verify", view, title: "Audit log check")
    }
}

enum ISODay {
    /// A calendar day typed as YYYY-MM-DD, at midnight UK time.
    static func parse(_ text: String) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard components.isValidDate(in: .ukCivil) else { return nil }
        return Calendar.ukCivil.date(from: components)
    }
}
