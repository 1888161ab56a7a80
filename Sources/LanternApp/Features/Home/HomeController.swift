import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// Each role's home page: what the role is for, the sections it opens, and the figures
/// that role needs first.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get { req async throws -> Response in
            req.redirect(to: req.currentUser == nil ? "/sign-in" : "/home")
        }
        routes.signedIn().get("home", use: home)
    }

    struct Section { let title: String; let path: String; let summary: String }
    struct Figure { let label: String; let value: String; let path: String? }
    struct RecentEntry { let at: String; let action: String; let entity: String; let outcome: String }

    struct View {
        let name: String
        let role: String
        let rolePurpose: String
        let team: String
        let sections: [Section]
        let can: [String]
        let figures: [Figure]
        let recentAudit: [RecentEntry]
        let overdueReviews: [ContractsController.Row]
        let overdueReviewsLink: String
        let deadlines: [SafeguardingHome.Deadline]
    }

    func home(req: Request) async throws -> Response {
        let user = req.currentUser!
        let team = try await req.currentTeamName()
        let sections = NavigationItem.visible(to: user).filter { $0.path != "/home" }
            .map { Section(title: $0.title, path: $0.path, summary: $0.summary) }
        // The counts the role's figures need, asked in one statement.
        var counts = CountsInOneStatement()
        if user.can(.manageUsers) {
            // Service accounts are not people: they have no password and are never invited.
            let people: SQLQueryString = "service_account = \(bind: false)"
            counts.add("people_active", from: User.schema, where: [people, "is_active = \(bind: true)", "password_hash IS NOT NULL"])
            counts.add("people_invited", from: User.schema, where: [people, "is_active = \(bind: true)", "password_hash IS NULL"])
            counts.add("people_deactivated", from: User.schema, where: [people, "is_active = \(bind: false)"])
        }
        SafeguardingHome.addCounts(to: &counts, req, user)
        if user.can(.viewAuditLog) {
            let since = req.lantern.now().addingTimeInterval(-86_400)
            counts.add("audit_refused", from: AuditEntry.schema, where: ["at >= \(bind: since)", "outcome <> \(bind: "success")"])
        }
        let counted = try await counts.run(on: req.reads)
        var figures: [Figure] = []
        if let active = counted["people_active"], let invited = counted["people_invited"], let deactivated = counted["people_deactivated"] {
            figures.append(Figure(label: "Active people", value: String(active), path: "/admin/users"))
            figures.append(Figure(label: "Invitations not yet accepted", value: String(invited), path: "/admin/users"))
            figures.append(Figure(label: "Deactivated accounts", value: String(deactivated), path: "/admin/users"))
        }
        var overdueReviews: [ContractsController.Row] = []
        // Contract managers see the reviews of the contracts they manage; procurement officers see all.
        let onlyMine = user.role == .contractManager
        let reviewsLink = "/contracts?review=overdue" + (onlyMine ? "&mine=1" : "")
        if user.can(.editContracts) {
            let today = Day(req.lantern.now())
            var filters = ContractsController.Filters(review: "overdue")
            filters.mine = onlyMine
            let count = try await ContractsController.filtered(filters, today: today, user: user, on: req.db).countRows()
            figures.append(Figure(label: onlyMine ? "Annual reviews overdue on your contracts" : "Annual reviews overdue", value: String(count), path: reviewsLink))
            let overdueActions = try await ContractAction.query(on: req.db).filter(\.$status == .open).filter(\.$dueDate < today.iso).countRows()
            figures.append(Figure(label: "Contract actions past their due date", value: String(overdueActions), path: "/procurement/actions?overdue=1"))
            let contracts = try await ContractsController.filtered(filters, today: today, user: user, on: req.db).sort(\.$nextReviewDate).limit(10).all()
            overdueReviews = try await ContractsController.rows(contracts, today: today, on: req.db)
        }
        if user.can(.managePrivacyRequests) || user.can(.manageOrganisation) {
            // The administrator sees the count and references, never the content.
            let today = req.today.iso
            let overdue = try await SubjectAccessRequest.query(on: req.db).filter(\.$status != .sent).filter(\.$status != .withdrawn).all()
                .filter { $0.effectiveDue < today }.count
                + (try await PrivacyRequest.query(on: req.db).filter(\.$decision == .pending).filter(\.$dueOn < today).count())
            figures.append(Figure(label: "Personal data requests past their deadline", value: String(overdue),
                                  path: user.can(.managePrivacyRequests) ? "/privacy" : nil))
        }
        figures += SafeguardingHome.figures(counted, user)
        let deadlines = try await SafeguardingHome.deadlines(req, user)
        var recent: [RecentEntry] = []
        if let refused = counted["audit_refused"] {
            figures.append(Figure(label: "Refused or failed actions in the last 24 hours", value: String(refused), path: "/audit?outcome=denied"))
            recent = try await AuditEntry.query(on: req.db).sort(\.$sequence, .descending).limit(8).all().map {
                RecentEntry(at: DisplayDate.dateTime($0.at), action: $0.action.replacingOccurrences(of: "_", with: " "),
                            entity: $0.entityType, outcome: $0.outcome)
            }
        }
        let view = View(name: user.displayName, role: user.role.displayName, rolePurpose: user.role.purpose,
                        team: team ?? "No team", sections: sections,
                        can: Permission.allCases.filter { user.can($0) }.map(\.summary),
                        figures: figures, recentAudit: recent, overdueReviews: overdueReviews, overdueReviewsLink: reviewsLink,
                        deadlines: deadlines)
        return try await req.render(title: "Home") { html, _ in view.write(into: &html) }
    }
}
