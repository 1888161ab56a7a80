import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// What a caseworker or safeguarding lead sees first: concerns to acknowledge, and the dated
/// items on their cases that are overdue or due within a week, read from indexed due dates.
/// Written in SQL: this is the busiest page, and its counts are one statement.
enum SafeguardingHome {
    struct Deadline: Encodable {
        let caseID: String
        let reference: String
        let what: String
        let due: String
        let overdue: Bool
    }

    static let horizonDays = 7
    /// The cases whose dated items are listed: those with the nearest deadlines.
    static let casesListed = 15

    /// The counts this person's figures need, added to `counts` (asked with the page's other counts).
    static func addCounts(to counts: inout CountsInOneStatement, _ req: Request, _ user: User) {
        let today = req.today.iso
        let concerns = NeedToKnow.ConcernScope(user)
        if user.can(.handleConcerns), concerns != .none {
            counts.add("concerns_waiting", from: Concern.schema) { concerns.apply($0.where("status", .equal, ConcernStatus.received.rawValue)) }
            counts.add("concerns_late", from: Concern.schema) {
                concerns.apply($0.where("status", .equal, ConcernStatus.received.rawValue).where("acknowledge_by", .lessThan, today))
            }
        }
        if user.can(.viewCases) {
            let cases = NeedToKnow.CaseScope(user)
            counts.add("cases_open", from: SafeguardingCase.schema) { cases.apply($0.where("status", .equal, "open")) }
            counts.add("cases_overdue", from: SafeguardingCase.schema) {
                cases.apply($0.where("status", .equal, "open").where("next_deadline", .lessThan, today))
            }
        }
    }

    static func figures(_ counts: [String: Int], _ user: User) -> [HomeController.Figure] {
        var figures: [HomeController.Figure] = []
        if let waiting = counts["concerns_waiting"], let late = counts["concerns_late"] {
            figures.append(.init(label: "Concerns waiting for acknowledgement", value: String(waiting), path: "/concerns?status=to_acknowledge"))
            figures.append(.init(label: "Of which past the 7-day acknowledgement date", value: String(late), path: "/concerns?status=to_acknowledge"))
        }
        if let open = counts["cases_open"], let overdue = counts["cases_overdue"] {
            figures.append(.init(label: "Open cases", value: String(open), path: "/cases"))
            figures.append(.init(label: "Cases with an overdue task or decision to chase", value: String(overdue), path: "/cases"))
        }
        return figures
    }

    /// The open tasks and live notifications due within the horizon on the person's cases with
    /// the nearest deadlines: two statements, each joining those cases to its rows. The rows come
    /// in each filter's order and are grouped by case below, nearest deadline first.
    static func deadlines(_ req: Request, _ user: User) async throws -> [Deadline] {
        guard user.can(.viewCases) else { return [] }
        let today = req.today
        let horizon = today.adding(days: horizonDays).iso
        let sql = req.db as! any SQLDatabase
        let nearestCases = SQLSubqueryBuilder()
        _ = NeedToKnow.CaseScope(user).apply(nearestCases.columns("id", "reference", "next_deadline").from(SafeguardingCase.schema)
            .where("status", .equal, "open").where("next_deadline", .lessThanOrEqual, horizon))
            .orderBy("next_deadline").orderBy("id").limit(casesListed)
        let nearest = SQLAlias(nearestCases.query, as: SQLIdentifier("nearest"))
        func rows(_ table: String, _ columns: String, _ filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [any SQLRow] {
            try await filter(sql.select().column(SQLRaw("nearest.id AS n_case_id, nearest.reference AS n_reference, nearest.next_deadline AS n_deadline, " + columns))
                .from(nearest).join(SQLIdentifier(table), on: SQLColumn("case_id", table: table), .equal, SQLColumn("id", table: "nearest"))).all()
        }
        let tasks = try await rows(CaseTask.schema, CaseTask.selectList(table: CaseTask.schema)) {
            $0.where(SQLColumn("done_at", table: CaseTask.schema), .is, SQLLiteral.null)
                .where(SQLColumn("due_on", table: CaseTask.schema), .lessThanOrEqual, SQLBind(horizon))
                .orderBy(SQLColumn("due_on", table: CaseTask.schema)).orderBy(SQLColumn("id", table: CaseTask.schema))
        }
        let notifications = try await rows(HomeOfficeReferral.schema, HomeOfficeReferral.selectList(table: HomeOfficeReferral.schema)) {
            $0.where(SQLColumn("due_on", table: HomeOfficeReferral.schema), .lessThanOrEqual, SQLBind(horizon))
                .where(SQLColumn("state", table: HomeOfficeReferral.schema), .in, SQLBind.group([NRMState.draft, .submitted, .awaitingRG].map(\.rawValue)))
                .orderBy(SQLColumn("id", table: HomeOfficeReferral.schema))
        }
        struct Listed { let caseID: UUID; let reference: String; let deadline: String; var tasks: [CaseTask] = []; var notifications: [HomeOfficeReferral] = [] }
        var order: [UUID] = []
        var listed: [UUID: Listed] = [:]
        func add(_ row: any SQLRow, _ change: (inout Listed) throws -> Void) throws {
            let id = try row.decode(column: "n_case_id", as: UUID.self)
            if listed[id] == nil {
                order.append(id)
                listed[id] = Listed(caseID: id, reference: try row.decode(column: "n_reference", as: String.self),
                                    deadline: try row.decode(column: "n_deadline", as: String.self))
            }
            try change(&listed[id]!)
        }
        for row in tasks { try add(row) { $0.tasks.append(try CaseTask(row: row)) } }
        for row in notifications { try add(row) { $0.notifications.append(try HomeOfficeReferral(row: row)) } }
        // In the cases' order: nearest deadline first.
        let cases = order.compactMap { listed[$0] }.sorted { ($0.deadline, $0.caseID.uuidString) < ($1.deadline, $1.caseID.uuidString) }
        var result: [Deadline] = []
        var shownTitles: [String] = []
        for c in cases {
            for t in c.tasks {
                result.append(.init(caseID: c.caseID.uuidString, reference: c.reference, what: "Task: " + (try t.open(with: req.cipher)),
                                    due: Day(parsing: t.dueOn)?.long ?? t.dueOn, overdue: t.dueOn < today.iso))
            }
            if !c.tasks.isEmpty { shownTitles.append(c.caseID.uuidString) }
            for n in c.notifications {
                if let d = NRMLifecycle.deadline(for: n.record, today: today, draftStarted: Day(parsing: n.startedOn)) {
                    result.append(.init(caseID: c.caseID.uuidString, reference: c.reference, what: "\(n.kind.label): \(d.what)", due: d.due.long, overdue: d.overdue))
                }
            }
        }
        // A task's title is case content: showing it is a read of the case, audited like any other.
        try await req.audit(shownTitles.map { AuditNote(.read, .case, id: $0, detail: "task titles on the home page") })
        return result
    }
}
