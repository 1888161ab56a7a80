import Fluent
import Foundation
import LanternCore
import Vapor

/// `/statements/register`: every supplier against every criterion of its latest statement check,
/// filtered ("no board approval", "period ended over 12 months ago", "no statement found"), as a
/// page and as CSV; and checking the whole register again, as a job.
struct StatementRegisterController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(.viewStatementChecks).grouped("statements", "register")
        view.get(use: list)
        view.get("export.csv", use: export)
        routes.requiring(.checkStatements).grouped("statements", "register").post("check", use: checkAll)
    }

    /// The register's filters, by the value the page's select sends.
    enum Show: String, CaseIterable {
        case noApproval = "no_approval", noSignature = "no_signature", periodEnded = "period_ended"
        case gaps, noStatement = "no_statement", unreadable

        var label: String {
            switch self {
            case .noApproval: "No board approval"
            case .noSignature: "No director's signature"
            case .periodEnded: "Period ended over 12 months ago"
            case .gaps: "Any criterion not met"
            case .noStatement: "No statement found"
            case .unreadable: "Statement could not be read"
            }
        }
    }

    static func filtered(_ show: Show?, q: String, today: Day, on db: any Database) -> QueryBuilder<Supplier> {
        let query = Supplier.query(on: db)
        if !q.isEmpty { query.filter(\.$nameKey, .custom("LIKE"), "%\(OrganisationName.key(q))%") }
        switch show {
        case .noApproval?: query.filter(\.$statementVerdicts != nil).filter(\.$statementVerdicts, .custom("NOT LIKE"), StatementVerdicts.notMet("approval"))
        case .noSignature?: query.filter(\.$statementVerdicts != nil).filter(\.$statementVerdicts, .custom("NOT LIKE"), StatementVerdicts.notMet("signature"))
        case .periodEnded?: query.filter(\.$statementPeriodEnd < today.adding(months: -12).iso)
        case .gaps?: query.filter(\.$statementGaps > 0)
        case .noStatement?: query.filter(\.$statementCheckID == nil)
        case .unreadable?: query.filter(\.$statementProblem != nil)
        case nil: break
        }
        return query.sort(\.$name).sort(\.$id)
    }

    struct Cell: Encodable { let verdict: String; let label: String }
    struct Row: Encodable {
        let id: String
        let name: String
        let checkID: String?
        let statement: String
        let periodEnd: String
        let cells: [Cell]
        let aims: String
        let checkedOn: String
    }

    /// The reviews of these suppliers' latest checks, by check.
    static func reviews(of suppliers: [Supplier], on db: any Database) async throws -> [UUID: [StatementReview]] {
        let checks = suppliers.compactMap(\.statementCheckID)
        guard !checks.isEmpty else { return [:] }
        return Dictionary(grouping: try await StatementReview.query(on: db).filter(\.$checkID ~~ checks).sort(\.$criterionID).all(), by: \.checkID)
    }

    static func row(_ s: Supplier, reviews: [StatementReview] = []) -> Row {
        let verdicts = StatementVerdicts.parse(s.statementVerdicts)
        let statement = s.statementProblem.map { "Could not be read: \($0)" }
            ?? (s.statementCheckID != nil ? "Checked" : (s.statementURL ?? "").isEmpty ? "No statement address" : "Not checked yet")
        return Row(id: s.id!.uuidString, name: s.name, checkID: s.statementCheckID?.uuidString, statement: statement,
                   periodEnd: s.statementPeriodEnd.flatMap(Day.init(parsing:))?.long ?? "",
                   cells: StatementVerdicts.columns.map { column in
                       Cell(verdict: verdicts[column.id] ?? "unchecked",
                            label: StatementVerdicts.label(verdicts[column.id]) + (reviews.contains { $0.criterionID == column.id } ? " (reviewed)" : ""))
                   },
                   aims: verdicts["aims"].map { "\($0) met" } ?? "", checkedOn: s.statementCheckedAt.map(DisplayDate.date) ?? "")
    }

    struct View: Encodable {
        let rows: [Row]
        let headings: [String]
        let pagination: Pagination
        let filters: [SelectOption]
        let q: String
        let exportLink: String
        let canCheck: Bool
        let running: String?
    }

    func list(req: Request) async throws -> Response {
        let show = Show(rawValue: req.queryValue("show"))
        let q = String(req.queryValue("q").prefix(200))
        let query = [("show", show?.rawValue ?? ""), ("q", q)].filter { !$0.1.isEmpty }
        let total = try await Self.filtered(show, q: q, today: req.today, on: req.db).count()
        let pagination = Pagination(page: req.requestedPage, total: total, path: "/statements/register", query: query)
        let suppliers = try await Self.filtered(show, q: q, today: req.today, on: req.db)
            .range(pagination.offset..<(pagination.offset + Pagination.perPage)).all()
        let reviews = try await Self.reviews(of: suppliers, on: req.db)
        let running = try await Job.query(on: req.db).filter(\.$kind == StatementRegisterJob.kind).filter(\.$status ~~ [.queued, .running]).first()
        try await req.audit(.read, .statementCheck, detail: "register, \(suppliers.count) rows")
        let view = View(rows: suppliers.map { Self.row($0, reviews: $0.statementCheckID.flatMap { reviews[$0] } ?? []) }, headings: StatementVerdicts.columns.map(\.heading), pagination: pagination,
                        filters: Show.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == show) }, q: q,
                        exportLink: "/statements/register/export.csv" + Pagination.queryString(query),
                        canCheck: req.currentUser?.can(.checkStatements) ?? false, running: running.map { "/jobs/\($0.id!.uuidString)" })
        return try await req.render("Statements/register", view, title: "Statements across the supplier register")
    }

    func export(req: Request) async throws -> Response {
        let show = Show(rawValue: req.queryValue("show"))
        let suppliers = try await Self.filtered(show, q: String(req.queryValue("q").prefix(200)), today: req.today, on: req.db).all()
        let header = ["supplier", "statement_url", "statement", "period_end"] + StatementVerdicts.columns.map(\.id) + ["aims_met", "checked_on", "reviewed"]
        let reviews = try await Self.reviews(of: suppliers, on: req.db)
        let reviewers = Dictionary(uniqueKeysWithValues: try await User.query(on: req.db).filter(\.$id ~~ Set(reviews.values.flatMap { $0.map(\.reviewedBy) })).all()
            .map { ($0.id!, $0.displayName) })
        let rows = suppliers.map { s -> [String] in
            let verdicts = StatementVerdicts.parse(s.statementVerdicts)
            let row = Self.row(s)
            return [s.name, s.statementURL ?? "", row.statement, s.statementPeriodEnd ?? ""] + StatementVerdicts.columns.map { verdicts[$0.id] ?? "" }
                + [verdicts["aims"] ?? "", s.statementCheckedAt.map { Day($0).iso } ?? "",
                   (s.statementCheckID.flatMap { reviews[$0] } ?? []).map {
                       "\($0.criterionID): \($0.verdict.rawValue) by \(reviewers[$0.reviewedBy] ?? "a reviewer") on \(Day($0.reviewedAt).iso) (Lantern: \($0.modelVerdict.rawValue))"
                   }.joined(separator: "; ")]
        }
        try await req.audit(.export, .statementCheck, detail: "register, \(rows.count) rows")
        return req.csvDownload(filename: "lantern-statement-register.csv", header: header, rows: rows)
    }

    /// Checks every supplier's statement again; a run already waiting or under way is that run.
    func checkAll(req: Request) async throws -> Response {
        if let running = try await Job.query(on: req.db).filter(\.$kind == StatementRegisterJob.kind).filter(\.$status ~~ [.queued, .running]).first() {
            return req.redirect(to: "/jobs/\(running.id!.uuidString)")
        }
        let job = try await JobQueue.enqueue(kind: StatementRegisterJob.kind, subject: "all", uniqueKey: "statement-register:\(UUID().uuidString)",
                                             owner: req.currentUser?.id, nextPath: "/statements/register", on: req.db, now: req.lantern.now())
        try await req.audit(.create, .statementCheck, detail: "register check asked for")
        return req.redirect(to: "/jobs/\(job.id!.uuidString)")
    }
}
