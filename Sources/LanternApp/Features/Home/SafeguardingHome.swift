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
            let waiting: [SQLQueryString] = ["status = \(bind: ConcernStatus.received.rawValue)"] + (concerns.condition.map { [$0] } ?? [])
            counts.add("concerns_waiting", from: Concern.schema, where: waiting)
            counts.add("concerns_late", from: Concern.schema, where: waiting + ["acknowledge_by < \(bind: today)"])
        }
        if user.can(.viewCases) {
            // In the scope's parts, summed in `figures`: each is one index range.
            for (index, part) in NeedToKnow.CaseScope(user).countedParts.enumerated() {
                let open: [SQLQueryString] = ["status = \(bind: "open")"] + part
                counts.add("cases_open#\(index)", from: SafeguardingCase.schema, where: open)
                counts.add("cases_overdue#\(index)", from: SafeguardingCase.schema, where: open + ["next_deadline < \(bind: today)"])
            }
        }
    }

    static func figures(_ counts: [String: Int], _ user: User) -> [HomeController.Figure] {
        var figures: [HomeController.Figure] = []
        if let waiting = counts["concerns_waiting"], let late = counts["concerns_late"] {
            figures.append(.init(label: "Concerns waiting for acknowledgement", value: String(waiting), path: "/concerns?status=to_acknowledge"))
            figures.append(.init(label: "Of which past the 7-day acknowledgement date", value: String(late), path: "/concerns?status=to_acknowledge"))
        }
        func summed(_ name: String) -> Int? {
            let parts = counts.filter { $0.key.hasPrefix(name + "#") }
            return parts.isEmpty ? nil : parts.values.reduce(0, +)
        }
        if let open = summed("cases_open"), let overdue = summed("cases_overdue") {
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
        let sql = req.reads
        // The person's open cases with the nearest deadlines, joined to each kind of dated row.
        var nearest: SQLQueryString = "(SELECT id, reference, next_deadline FROM cases WHERE status = \(bind: "open") AND next_deadline <= \(bind: horizon)"
        if let scope = NeedToKnow.CaseScope(user).condition { nearest += " AND " + scope }
        nearest += " ORDER BY next_deadline, id LIMIT \(literal: casesListed)) AS nearest"
        func rows(_ table: String, _ columns: String, _ rest: SQLQueryString) async throws -> [any SQLRow] {
            try await sql.raw("SELECT nearest.id AS n_case_id, nearest.reference AS n_reference, nearest.next_deadline AS n_deadline, \(unsafeRaw: columns) FROM "
                + nearest + " JOIN \(unsafeRaw: table) ON \(unsafeRaw: table).case_id = nearest.id WHERE " + rest).all()
        }
        let tasks = try await rows(CaseTask.schema, CaseTask.selectList(table: CaseTask.schema),
                                   "case_tasks.done_at IS NULL AND case_tasks.due_on <= \(bind: horizon) ORDER BY case_tasks.due_on, case_tasks.id")
        let live = [NRMState.draft, .submitted, .awaitingRG].map(\.rawValue)
        let notifications = try await rows(HomeOfficeReferral.schema, HomeOfficeReferral.selectList(table: HomeOfficeReferral.schema),
                                           "nrm_notifications.due_on <= \(bind: horizon) AND nrm_notifications.state IN (\(binds: live)) ORDER BY nrm_notifications.id")
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
