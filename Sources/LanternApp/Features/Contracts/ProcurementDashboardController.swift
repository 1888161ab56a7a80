import Fluent
import Foundation
import LanternCore
import Vapor

/// The procurement dashboard: contracts by risk level, annual reviews due and overdue,
/// suppliers without a statement or with gaps, and open actions. Each table links to its
/// full, filterable list, and each list exports as CSV.
struct ProcurementDashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(.viewContracts).grouped("procurement")
        view.get(use: dashboard)
        view.get("actions", use: actions)
        view.get("actions", "export.csv", use: exportActions)
    }

    struct Count: Encodable { let label: String; let value: Int; let link: String; let tag: String }

    struct View: Encodable {
        let riskCounts: [Count]
        let reviewCounts: [Count]
        let statementCounts: [Count]
        let overdueReviews: [ContractsController.Row]
        let dueReviews: [ContractsController.Row]
        let openActions: [ActionRow]
        let openActionCount: Int
        let overdueActionCount: Int
        /// Pictures of the figures, each shown beside a table that holds the same numbers.
        let riskChart: String
        let reviewChart: String
        let reviewsByMonth: [Count]
    }

    struct ActionRow: Encodable {
        let contractID: String
        let contract: String
        let step: String
        let description: String
        let owner: String
        let due: String
        let overdue: Bool
        let status: String
    }

    func dashboard(req: Request) async throws -> Response {
        let today = req.today
        let counts = try await req.application.procurementFigures.counts(on: req.db, today: today, now: req.lantern.now())
        let labels = ["high": "High risk", "medium": "Medium risk", "low": "Low risk", "not_assessed": "Not assessed"]
        let riskCounts = counts.byLevel.map {
            Count(label: labels[$0.level] ?? $0.level, value: $0.count, link: "/contracts?risk=\($0.level)", tag: $0.level)
        }
        func contracts(_ review: String) -> QueryBuilder<Contract> {
            ContractsController.filtered(ContractsController.Filters(review: review), today: today, user: nil, on: req.db)
        }
        let overdue = try await contracts("overdue").sort(\.$nextReviewDate).limit(10).all()
        let due = try await contracts("due_soon").sort(\.$nextReviewDate).limit(10).all()
        let reviewCounts = [
            Count(label: "Annual reviews overdue", value: counts.overdueReviews, link: "/contracts?review=overdue", tag: "overdue"),
            Count(label: "Due within 30 days", value: counts.dueReviews, link: "/contracts?review=due_soon", tag: "due_soon"),
        ]
        let statementCounts = [
            Count(label: "Suppliers with no statement checked", value: counts.noStatement, link: "/suppliers?standing=none", tag: "none"),
            Count(label: "Statements with gaps", value: counts.statementGaps, link: "/suppliers?standing=gaps", tag: "gaps"),
            Count(label: "Statements out of date", value: counts.statementOutOfDate, link: "/suppliers?standing=out_of_date", tag: "out_of_date"),
            Count(label: "Statements without board approval", value: counts.statementNoApproval, link: "/statements/register?show=no_approval", tag: "gaps"),
            Count(label: "Statement periods ended over 12 months ago", value: counts.statementPeriodEnded, link: "/statements/register?show=period_ended", tag: "out_of_date"),
            Count(label: "Statements that could not be read", value: counts.statementUnreadable, link: "/statements/register?show=unreadable", tag: "none"),
        ]
        let open = try await ContractAction.query(on: req.db).filter(\.$status == .open).sort(\.$dueDate).limit(10).all()
        let byMonth = try await Self.reviewsByMonth(today: today, on: req.db)
        let view = View(
            riskCounts: riskCounts, reviewCounts: reviewCounts, statementCounts: statementCounts,
            overdueReviews: try await ContractsController.rows(overdue, today: today, on: req.db),
            dueReviews: try await ContractsController.rows(due, today: today, on: req.db),
            openActions: try await Self.actionRows(open, today: today, on: req.db),
            openActionCount: counts.openActions, overdueActionCount: counts.overdueActions,
            riskChart: Charts.bars(id: "risk-chart", title: "Active contracts by modern slavery risk",
                                   bars: riskCounts.map { .init(label: $0.label, value: $0.value, display: String($0.value)) }),
            reviewChart: Charts.bars(id: "review-chart", title: "Annual reviews due by month",
                                     bars: byMonth.map { .init(label: $0.label, value: $0.value, display: String($0.value)) }),
            reviewsByMonth: byMonth)
        return try await req.render("Contracts/dashboard", view, title: "Procurement dashboard")
    }

    /// Annual reviews of active contracts: those already overdue, then each of the next twelve
    /// months (`suppliers.md` §3: high-value, high-risk and business-critical contracts are
    /// reviewed each year).
    static func reviewsByMonth(today: Day, on db: any Database) async throws -> [Count] {
        let dates = try await ContractsController.filtered(ContractsController.Filters { _ in "" }, today: today, user: nil, on: db)
            .filter(\.$nextReviewDate != nil).field(\.$nextReviewDate).all().compactMap { $0.nextReviewDate.flatMap(Day.init(parsing:)) }
        let start = Day(year: today.year, month: today.month, day: 1)!
        var counts = [Count(label: "Overdue", value: dates.filter { $0 < today }.count, link: "/contracts?review=overdue", tag: "overdue")]
        for offset in 0..<12 {
            let month = start.adding(months: offset), next = start.adding(months: offset + 1)
            let n = dates.filter { $0 >= max(month, today) && $0 < next }.count
            counts.append(Count(label: month.monthAndYear, value: n, link: "/contracts?review=scheduled", tag: "scheduled"))
        }
        return counts
    }

    static func actionRows(_ actions: [ContractAction], today: Day, on db: any Database) async throws -> [ActionRow] {
        let ids = Array(Set(actions.map { $0.$contract.id }))
        let titles = Dictionary(uniqueKeysWithValues: try await Contract.query(on: db).filter(\.$id ~~ ids).field(\.$id).field(\.$title).all().map { ($0.id!, $0.title) })
        return actions.map { a in
            ActionRow(contractID: a.$contract.id.uuidString, contract: titles[a.$contract.id] ?? "", step: a.escalationStep.label,
                      description: a.description, owner: a.owner, due: Day(parsing: a.dueDate)?.long ?? a.dueDate,
                      overdue: a.status == .open && (Day(parsing: a.dueDate).map { $0 < today } ?? false), status: a.status.rawValue)
        }
    }

    // MARK: Actions list

    struct ActionFilters: Encodable {
        let status: String
        let step: String
        let overdue: Bool

        init(_ req: Request) {
            let status = req.queryValue("status")
            self.status = ["open", "done", "cancelled"].contains(status) ? status : (status == "all" ? "all" : "open")
            step = EscalationStep(rawValue: req.queryValue("step"))?.rawValue ?? ""
            overdue = req.queryValue("overdue") == "1"
        }

        var pairs: [(String, String)] { [("status", status), ("step", step), ("overdue", overdue ? "1" : "")] }
    }

    private func actionQuery(_ filters: ActionFilters, today: Day, on db: any Database) -> QueryBuilder<ContractAction> {
        let query = ContractAction.query(on: db)
        if let status = ContractActionStatus(rawValue: filters.status) { query.filter(\.$status == status) }
        if !filters.step.isEmpty { query.filter(\.$step == filters.step) }
        if filters.overdue { query.filter(\.$status == .open).filter(\.$dueDate < today.iso) }
        return query
    }

    struct ActionsView: Encodable {
        let filters: ActionFilters
        let statuses: [SelectOption]
        let steps: [SelectOption]
        let rows: [ActionRow]
        let pagination: Pagination
        let exportLink: String
    }

    func actions(req: Request) async throws -> Response {
        let filters = ActionFilters(req)
        let today = req.today
        let total = try await actionQuery(filters, today: today, on: req.db).countRows()
        let pagination = Pagination(page: req.requestedPage, total: total, path: "/procurement/actions", query: filters.pairs)
        let actions = try await actionQuery(filters, today: today, on: req.db).sort(\.$dueDate)
            .range(pagination.offset..<(pagination.offset + Pagination.perPage)).all()
        let view = ActionsView(
            filters: filters,
            statuses: [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled"), ("all", "All")].map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == filters.status) },
            steps: EscalationStep.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filters.step) },
            rows: try await Self.actionRows(actions, today: today, on: req.db), pagination: pagination,
            exportLink: "/procurement/actions/export.csv" + Pagination.queryString(filters.pairs))
        return try await req.render("Contracts/actions", view, title: "Actions and sanctions")
    }

    func exportActions(req: Request) async throws -> Response {
        let filters = ActionFilters(req)
        let today = req.today
        let actions = try await actionQuery(filters, today: today, on: req.db).sort(\.$dueDate).all()
        let rows = try await Self.actionRows(actions, today: today, on: req.db)
        try await req.audit(.export, .contractAction, detail: "\(actions.count) rows")
        return req.csvDownload(filename: "actions.csv",
                               header: ["contract", "step", "description", "owner", "due_date", "status", "approver", "decision_date", "evidence", "outcome", "completed_on"],
                               rows: zip(actions, rows).map { a, row in
                                   [row.contract, a.step, a.description, a.owner, a.dueDate, a.status.rawValue, a.approver ?? "", a.decisionDate ?? "",
                                    a.evidence, a.outcome, a.completedOn ?? ""]
                               })
    }
}

extension ContractsController.Filters {
    /// A review filter on its own, for the dashboard's queries.
    init(review: String) {
        q = ""
        risk = ""
        self.review = review
        mine = false
    }
}
