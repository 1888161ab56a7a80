import Fluent
import Foundation
import LanternCore
import Vapor

/// Internal audit recommendations: each with its agreed action, owner and due date, linked to
/// the plan actions that carry it out, and tracked to closure.
struct RecommendationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(.viewActionPlan).grouped("action-plan", "recommendations")
        view.get(use: list)
        view.get(":recommendationID", use: show)
        let edit = routes.requiring(.editActionPlan).grouped("action-plan", "recommendations")
        edit.post(use: create)
        edit.post(":recommendationID", use: update)
    }

    struct Row: Encodable {
        let id: String, reference: String, auditName: String, recommendation: String, priority: String, owner: String
        let due: String, status: String, statusKey: String, overdue: Bool, actions: Int
    }

    struct ListView: Encodable {
        let rows: [Row]
        let open: Int
        let closed: Int
        let canEdit: Bool
        let values: Form
        let priorities: [SelectOption]
        let statuses: [SelectOption]
        let errors: FormErrors
    }

    struct Form: Content {
        @FormField var reference: String = ""
        @FormField var audit_name: String = ""
        @FormField var raised_on: String = ""
        @FormField var recommendation: String = ""
        @FormField var priority: String = ""
        @FormField var agreed_action: String = ""
        @FormField var owner: String = ""
        @FormField var due_on: String = ""
        @FormField var status: String = ""
        @FormField var response: String = ""
    }

    static func validate(_ values: Form, today: Day) -> (Form, FormErrors, RecommendationPriority?, RecommendationStatus?, Day?, Day?) {
        var errors = FormErrors()
        if values.reference.isEmpty { errors.add("reference", "Enter the recommendation's reference, like MS-2024-01") }
        else if values.reference.count > 40 { errors.add("reference", "The reference must be 40 characters or fewer") }
        if values.audit_name.isEmpty { errors.add("audit_name", "Enter the audit it came from") }
        else if values.audit_name.count > 200 { errors.add("audit_name", "The audit's name must be 200 characters or fewer") }
        let raised = Day(parsing: values.raised_on)
        if values.raised_on.isEmpty { errors.add("raised_on", "Enter the date of the audit report") }
        else if raised == nil { errors.add("raised_on", "Enter the date as a real date, like 2024-09-30 or 30/09/2024") }
        else if raised! > today { errors.add("raised_on", "The date of the audit report cannot be in the future") }
        if values.recommendation.isEmpty { errors.add("recommendation", "Enter the recommendation") }
        else if values.recommendation.count > 4000 { errors.add("recommendation", "The recommendation must be 4000 characters or fewer") }
        let priority = RecommendationPriority(rawValue: values.priority)
        if priority == nil { errors.add("priority", "Choose the priority the audit gave it") }
        if values.agreed_action.count > 4000 { errors.add("agreed_action", "The agreed action must be 4000 characters or fewer") }
        if values.owner.count > 200 { errors.add("owner", "The owner must be 200 characters or fewer") }
        var due: Day?
        if !values.due_on.isEmpty {
            due = Day(parsing: values.due_on)
            if due == nil { errors.add("due_on", "Enter the due date as a real date, like 2025-03-31 or 31/03/2025") }
        }
        let status = RecommendationStatus(rawValue: values.status.isEmpty ? "open" : values.status)
        if status == nil { errors.add("status", "Choose the status") }
        if status == .agreed || status == .implemented {
            if values.agreed_action.isEmpty { errors.add("agreed_action", "Enter the action management agreed") }
            if values.owner.isEmpty { errors.add("owner", "Enter who owns the agreed action") }
        }
        if status == .notAccepted && values.response.isEmpty { errors.add("response", "Say why the recommendation was not accepted") }
        if status == .implemented && values.response.isEmpty { errors.add("response", "Say how the recommendation was implemented") }
        if values.response.count > 4000 { errors.add("response", "The response must be 4000 characters or fewer") }
        return (values, errors, priority, status, raised, due)
    }

    static func apply(_ values: Form, _ priority: RecommendationPriority, _ status: RecommendationStatus, raised: Day, due: Day?,
                      to r: AuditRecommendation, today: Day) {
        r.reference = values.reference
        r.auditName = values.audit_name
        r.raisedOn = raised.iso
        r.recommendation = values.recommendation
        r.priority = priority
        r.agreedAction = values.agreed_action
        r.owner = values.owner
        r.dueOn = due?.iso
        let wasClosed = r.id != nil && r.status.isClosed
        if status.isClosed && !wasClosed { r.closedOn = today.iso }
        if !status.isClosed { r.closedOn = nil }
        r.status = status
        r.response = values.response
    }

    private func list(_ req: Request, values: Form = Form(), errors: FormErrors = FormErrors()) async throws -> Response {
        let all = try await AuditRecommendation.query(on: req.db).sort(\.$raisedOn, .descending).sort(\.$reference).all()
        let links = Dictionary(grouping: try await PlanAction.query(on: req.db).filter(\.$recommendationID != nil).all(), by: { $0.recommendationID! })
        let rows = all.map { r in
            Row(id: r.id!.uuidString, reference: r.reference, auditName: r.auditName, recommendation: r.recommendation, priority: r.priority.label,
                owner: r.owner, due: r.dueOn.flatMap(Day.init(parsing:))?.long ?? "", status: r.status.label, statusKey: r.status.rawValue,
                overdue: !r.status.isClosed && (r.dueOn.flatMap(Day.init(parsing:)).map { $0 < req.today } ?? false), actions: links[r.id!]?.count ?? 0)
        }
        try await req.audit(.read, .auditRecommendation, detail: "list")
        return try await req.render("ActionPlan/recommendations", ListView(
            rows: rows, open: all.filter { !$0.status.isClosed }.count, closed: all.filter { $0.status.isClosed }.count,
            canEdit: req.currentUser!.can(.editActionPlan), values: values,
            priorities: RecommendationPriority.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values.priority == $0.rawValue) },
            statuses: RecommendationStatus.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: (values.status.isEmpty ? "open" : values.status) == $0.rawValue) },
            errors: errors), title: "Internal audit recommendations", status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func list(req: Request) async throws -> Response { try await list(req) }

    func create(req: Request) async throws -> Response {
        let (values, errors, priority, status, raised, due) = Self.validate(try req.form(Form.self), today: req.today)
        var all = errors
        if errors.isEmpty, try await AuditRecommendation.query(on: req.db).filter(\.$reference == values.reference).first() != nil {
            all.add("reference", "There is already a recommendation \(values.reference)")
        }
        guard all.isEmpty, let priority, let status, let raised else { return try await list(req, values: values, errors: all) }
        let r = AuditRecommendation()
        r.createdAt = req.lantern.now()
        Self.apply(values, priority, status, raised: raised, due: due, to: r, today: req.today)
        try await req.write(r, .create, .auditRecommendation, detail: r.reference)
        return req.redirect(to: "/action-plan/recommendations/\(r.id!.uuidString)", saying: "Recommendation \(r.reference) recorded.")
    }

    struct ShowView: Encodable {
        let id: String
        let reference: String
        let status: String
        let closedOn: String
        let canEdit: Bool
        let values: Form
        let priorities: [SelectOption]
        let statuses: [SelectOption]
        let actions: [ActionPlanController.ActionRow]
        let areaOptions: [SelectOption]
        let planYear: Int
        let errors: FormErrors
    }

    private func recommendation(_ req: Request) async throws -> AuditRecommendation {
        guard let id = req.parameters.get("recommendationID", as: UUID.self), let r = try await AuditRecommendation.find(id, on: req.db) else {
            throw LanternError.notFound
        }
        return r
    }

    private func show(_ req: Request, _ r: AuditRecommendation, values typed: Form? = nil, errors: FormErrors = FormErrors()) async throws -> Response {
        let values = typed ?? Form(reference: r.reference, audit_name: r.auditName, raised_on: r.raisedOn, recommendation: r.recommendation,
                                   priority: r.priority.rawValue, agreed_action: r.agreedAction, owner: r.owner, due_on: r.dueOn ?? "",
                                   status: r.status.rawValue, response: r.response)
        let actions = try await PlanAction.query(on: req.db).filter(\.$recommendationID == r.id!).sort(\.$planYear).all()
        try await req.audit(.read, .auditRecommendation, id: r.id?.uuidString)
        return try await req.render("ActionPlan/recommendation", ShowView(
            id: r.id!.uuidString, reference: r.reference, status: r.status.label, closedOn: r.closedOn.flatMap(Day.init(parsing:))?.long ?? "",
            canEdit: req.currentUser!.can(.editActionPlan), values: values,
            priorities: RecommendationPriority.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values.priority == $0.rawValue) },
            statuses: RecommendationStatus.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values.status == $0.rawValue) },
            actions: try await ActionPlanController.rows(actions, on: req.db, today: req.today),
            areaOptions: PlanArea.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: false) },
            planYear: try await ActionPlanController.year(req).endYear, errors: errors),
            title: "Recommendation \(r.reference)", status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func show(req: Request) async throws -> Response { try await show(req, try await recommendation(req)) }

    func update(req: Request) async throws -> Response {
        let r = try await recommendation(req)
        let (values, errors, priority, status, raised, due) = Self.validate(try req.form(Form.self), today: req.today)
        var all = errors
        if errors.isEmpty, let other = try await AuditRecommendation.query(on: req.db).filter(\.$reference == values.reference).first(), other.id != r.id {
            all.add("reference", "There is already a recommendation \(values.reference)")
        }
        guard all.isEmpty, let priority, let status, let raised else { return try await show(req, r, values: values, errors: all) }
        let before = r.status
        Self.apply(values, priority, status, raised: raised, due: due, to: r, today: req.today)
        try await req.write(r, .update, .auditRecommendation, detail: "\(before.rawValue) -> \(status.rawValue)")
        return req.redirect(to: "/action-plan/recommendations/\(r.id!.uuidString)", saying: "Recommendation \(r.reference) updated\(status.isClosed ? " and closed" : "").")
    }
}
