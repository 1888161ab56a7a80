import Fluent
import Foundation
import LanternCore
import Vapor

/// The action plan for a financial year: actions under the five areas with owners, due dates,
/// status and dated progress; carrying unfinished actions into next year's plan; and the
/// mid-year and annual progress reports.
struct ActionPlanController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(.viewActionPlan).grouped("action-plan")
        view.get(use: plan)
        view.get("actions", ":actionID", use: show)
        view.get("progress", use: progress)
        let edit = routes.requiring(.editActionPlan).grouped("action-plan")
        edit.post("actions", use: create)
        edit.post("actions", ":actionID", use: update)
        edit.post("actions", ":actionID", "notes", use: addNote)
        edit.post("carry-forward", use: carryForward)
    }

    static func year(_ req: Request) async throws -> FinancialYear {
        let organisation = try await req.organisation()
        let current = organisation?.currentFinancialYear(now: req.lantern.now()) ?? FinancialYear.containing(req.lantern.now())
        let year = Int(req.queryValue("year")).flatMap { (2000...2100).contains($0) ? $0 : nil } ?? current.endYear
        return FinancialYear(endYear: year, endMonth: current.endMonth, endDay: current.endDay)
    }

    struct ActionRow: Encodable {
        let id: String, title: String, owner: String, due: String, status: String, statusKey: String
        let businessAsUsual: Bool, overdue: Bool, latest: String, recommendation: String
    }

    struct AreaGroup: Encodable { let key: String; let label: String; let actions: [ActionRow] }

    struct PlanView: Encodable {
        let year: String
        let endYear: Int
        let areas: [AreaGroup]
        let summary: String
        let years: [SelectOption]
        let canEdit: Bool
        let areaOptions: [SelectOption]
        let statusOptions: [SelectOption]
        let values: [String: String]
        let errors: FormErrors
        let carryOver: Int
    }

    static func rows(_ actions: [PlanAction], on db: any Database, today: Day) async throws -> [ActionRow] {
        let ids = actions.compactMap(\.id)
        let notes = ids.isEmpty ? [] : try await PlanProgressNote.query(on: db).filter(\.$action.$id ~~ ids).sort(\.$notedOn, .descending).all()
        let latest = Dictionary(grouping: notes, by: { $0.$action.id }).compactMapValues(\.first)
        let linked = actions.compactMap(\.recommendationID)
        let recommendations = linked.isEmpty ? [:] : Dictionary(try await AuditRecommendation.query(on: db).filter(\.$id ~~ linked).all()
            .map { ($0.id!, $0.reference) }, uniquingKeysWith: { a, _ in a })
        return actions.map { a in
            ActionRow(id: a.id!.uuidString, title: a.title, owner: a.owner, due: a.due?.long ?? "", status: a.status.label, statusKey: a.status.rawValue,
                      businessAsUsual: a.businessAsUsual, overdue: ActionPlanRules.isOverdue(status: a.status, due: a.due, today: today),
                      latest: latest[a.id!].map { "\(Day(parsing: $0.notedOn)?.long ?? $0.notedOn): \($0.text)" } ?? "",
                      recommendation: a.recommendationID.flatMap { recommendations[$0] } ?? "")
        }
    }

    private func plan(_ req: Request, typed: TypedForm = TypedForm()) async throws -> Response {
        let year = try await Self.year(req)
        let actions = try await PlanAction.query(on: req.db).filter(\.$planYear == year.endYear).sort(\.$createdAt).all()
        let rows = try await Self.rows(actions, on: req.db, today: req.today)
        var progress = ActionPlanRules.Progress()
        for a in actions { progress.add(status: a.status, businessAsUsual: a.businessAsUsual, due: a.due, asOf: req.today) }
        let groups = PlanArea.allCases.map { area in
            AreaGroup(key: area.rawValue, label: area.label, actions: zip(actions, rows).filter { $0.0.area == area }.map(\.1))
        }
        let years = (year.endYear - 4...year.endYear + 1).reversed().map {
            SelectOption(value: String($0), label: FinancialYear(endYear: $0, endMonth: year.endMonth, endDay: year.endDay).description, selected: $0 == year.endYear)
        }
        try await req.audit(.read, .actionPlan, detail: year.description)
        return try await req.render("ActionPlan/plan", PlanView(
            year: year.description, endYear: year.endYear, areas: groups, summary: progress.sentence, years: years,
            canEdit: req.currentUser!.can(.editActionPlan),
            areaOptions: PlanArea.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: typed.values["area"] == $0.rawValue) },
            statusOptions: ActionStatus.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: (typed.values["status"] ?? "not_started") == $0.rawValue) },
            values: typed.values, errors: typed.errors, carryOver: progress.carriesOver),
            title: "Action plan \(year.description)", status: typed.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func plan(req: Request) async throws -> Response { try await plan(req) }

    struct ActionForm: Content {
        @FormField var area: String = ""
        @FormField var title: String = ""
        @FormField var detail: String = ""
        @FormField var owner: String = ""
        @FormField var due_on: String = ""
        @FormField var status: String = ""
        @FormField var business_as_usual: String = ""
        @FormField var recommendation: String = ""
    }

    /// Checks an action's fields; the same rules for a new action and an edited one.
    static func validate(_ form: ActionForm, section: String) -> (TypedForm, PlanArea?, ActionStatus?, Day?) {
        var typed = TypedForm(section: section, form: form)
        let area = PlanArea(rawValue: form.area)
        if area == nil { typed.errors.add("area", "Choose the area of the plan") }
        let title = form.title
        if title.isEmpty { typed.errors.add("title", "Describe the action") } else if title.count > 500 { typed.errors.add("title", "The action must be 500 characters or fewer") }
        if form.detail.count > 4000 { typed.errors.add("detail", "The detail must be 4000 characters or fewer") }
        let owner = form.owner
        if owner.isEmpty { typed.errors.add("owner", "Enter who owns the action (a role or a name)") } else if owner.count > 200 { typed.errors.add("owner", "The owner must be 200 characters or fewer") }
        var due: Day?
        if !form.due_on.isEmpty {
            due = Day(parsing: form.due_on)
            if due == nil { typed.errors.add("due_on", "Enter the due date as a real date, like 2027-03-31 or 31/03/2027") }
        }
        let status = ActionStatus(rawValue: form.status.isEmpty ? "not_started" : form.status)
        if status == nil { typed.errors.add("status", "Choose the action's status") }
        return (typed, area, status, due)
    }

    func create(req: Request) async throws -> Response {
        let year = try await Self.year(req)
        let form = try req.form(ActionForm.self)
        let (typed, area, status, due) = Self.validate(form, section: "new")
        guard typed.errors.isEmpty, let area, let status else { return try await plan(req, typed: typed) }
        let action = PlanAction()
        action.planYear = year.endYear
        action.area = area
        action.title = form.title
        action.detail = form.detail
        action.owner = form.owner
        action.dueOn = due?.iso
        action.status = status
        action.businessAsUsual = form.business_as_usual == "yes"
        action.recommendationID = UUID(uuidString: form.recommendation)
        action.createdAt = req.lantern.now()
        action.updatedAt = action.createdAt
        try await req.write(action, .create, .planAction, detail: "\(year.description), \(area.rawValue)")
        return req.redirect(to: "/action-plan?year=\(year.endYear)#area-\(area.rawValue)", saying: "Action added to the \(year.description) plan under \(area.label).")
    }

    struct ActionView: Encodable {
        struct Note: Encodable { let on: String; let text: String; let author: String }
        let id: String
        let year: String
        let endYear: Int
        let action: ActionRow
        let area: String
        let detail: String
        let notes: [Note]
        let canEdit: Bool
        let values: [String: String]
        let areaOptions: [SelectOption]
        let statusOptions: [SelectOption]
        let typed: TypedForm
        let errors: FormErrors
        let carriedFrom: String?
    }

    private func action(_ req: Request) async throws -> PlanAction {
        guard let id = req.parameters.get("actionID", as: UUID.self), let action = try await PlanAction.find(id, on: req.db) else { throw LanternError.notFound }
        return action
    }

    private func show(_ req: Request, _ action: PlanAction, typed: TypedForm = TypedForm()) async throws -> Response {
        let row = try await Self.rows([action], on: req.db, today: req.today)[0]
        let notes = try await PlanProgressNote.query(on: req.db).filter(\.$action.$id == action.id!).sort(\.$notedOn, .descending).sort(\.$createdAt, .descending).all()
        let values = typed.section == "edit" ? typed.values : [
            "area": action.area.rawValue, "title": action.title, "detail": action.detail, "owner": action.owner, "due_on": action.dueOn ?? "",
            "status": action.status.rawValue, "business_as_usual": action.businessAsUsual ? "yes" : "",
        ]
        let current = try await Self.year(req)
        let year = FinancialYear(endYear: action.planYear, endMonth: current.endMonth, endDay: current.endDay)
        try await req.audit(.read, .planAction, id: action.id?.uuidString)
        return try await req.render("ActionPlan/action", ActionView(
            id: action.id!.uuidString, year: year.description, endYear: action.planYear, action: row, area: action.area.label, detail: action.detail,
            notes: notes.map { .init(on: Day(parsing: $0.notedOn)?.long ?? $0.notedOn, text: $0.text, author: $0.authorName) },
            canEdit: req.currentUser!.can(.editActionPlan), values: values,
            areaOptions: PlanArea.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values["area"] == $0.rawValue) },
            statusOptions: ActionStatus.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values["status"] == $0.rawValue) },
            typed: typed, errors: typed.errors, carriedFrom: action.carriedFrom?.uuidString),
            title: action.title, status: typed.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func show(req: Request) async throws -> Response { try await show(req, try await action(req)) }

    func update(req: Request) async throws -> Response {
        let action = try await action(req)
        let form = try req.form(ActionForm.self)
        let (typed, area, status, due) = Self.validate(form, section: "edit")
        guard typed.errors.isEmpty, let area, let status else { return try await show(req, action, typed: typed) }
        let before = "\(action.status.rawValue)\(action.businessAsUsual ? ", business as usual" : "")"
        action.area = area
        action.title = form.title
        action.detail = form.detail
        action.owner = form.owner
        action.dueOn = due?.iso
        action.status = status
        action.businessAsUsual = form.business_as_usual == "yes"
        action.updatedAt = req.lantern.now()
        let detail = "\(before) -> \(status.rawValue)\(action.businessAsUsual ? ", business as usual" : "")"
        try await req.write(action, .update, .planAction, detail: detail)
        return req.redirect(to: "/action-plan/actions/\(action.id!.uuidString)", saying: "Action updated.")
    }

    struct NoteForm: Content {
        @FormField var noted_on: String = ""
        @FormField var text: String = ""
    }

    func addNote(req: Request) async throws -> Response {
        let action = try await action(req)
        let form = try req.form(NoteForm.self)
        var typed = TypedForm(section: "note", form: form)
        let day = form.noted_on.isEmpty ? req.today : Day(parsing: form.noted_on)
        if day == nil { typed.errors.add("noted_on", "Enter the date as a real date, like 2026-09-30 or 30/09/2026") }
        else if day! > req.today { typed.errors.add("noted_on", "The date of progress cannot be in the future") }
        if form.text.isEmpty { typed.errors.add("text", "Describe the progress") }
        else if form.text.count > 4000 { typed.errors.add("text", "The progress note must be 4000 characters or fewer") }
        guard typed.errors.isEmpty, let day else { return try await show(req, action, typed: typed) }
        let note = PlanProgressNote()
        note.$action.id = action.id!
        note.notedOn = day.iso
        note.text = form.text
        note.authorID = req.currentUser?.id
        note.authorName = req.currentUser?.displayName ?? ""
        note.createdAt = req.lantern.now()
        try await req.write(note, .create, .planProgressNote, detail: "action \(action.id!.uuidString)")
        return req.redirect(to: "/action-plan/actions/\(action.id!.uuidString)#progress", saying: "Progress noted.")
    }

    /// Starts next year's plan with every action that carries over (not done, not withdrawn, not
    /// business as usual). Running it again adds nothing twice.
    func carryForward(req: Request) async throws -> Response {
        let year = try await Self.year(req)
        let actions = try await PlanAction.query(on: req.db).filter(\.$planYear == year.endYear).all()
            .filter { ActionPlanRules.carriesOver(status: $0.status, businessAsUsual: $0.businessAsUsual) }
        let already = Set(try await PlanAction.query(on: req.db).filter(\.$planYear == year.endYear + 1).all().compactMap(\.carriedFrom))
        let now = req.lantern.now()
        let added = try await req.db.writeTransaction { db -> Int in
            var added = 0
            for a in actions where !already.contains(a.id!) {
                let next = PlanAction()
                next.planYear = year.endYear + 1
                next.area = a.area
                next.title = a.title
                next.detail = a.detail
                next.owner = a.owner
                next.dueOn = nil
                next.status = a.status
                next.businessAsUsual = false
                next.carriedFrom = a.id
                next.recommendationID = a.recommendationID
                next.createdAt = now
                next.updatedAt = now
                try await next.create(on: db)
                added += 1
            }
            return added
        }
        let nextYear = FinancialYear(endYear: year.endYear + 1, endMonth: year.endMonth, endDay: year.endDay)
        try await req.audit(.create, .planAction, detail: "carried \(added) actions from \(year.description) to \(nextYear.description)")
        req.flash(added == 0 ? "Nothing new to carry over: every unfinished action is already in the \(nextYear.description) plan."
                             : "\(added) unfinished \(added == 1 ? "action" : "actions") carried into the \(nextYear.description) plan. Set their due dates.")
        return req.redirect(to: "/action-plan?year=\(year.endYear + 1)")
    }

    struct ProgressView: Encodable {
        struct Area: Encodable { let label: String; let summary: String; let done: [ActionRow]; let open: [ActionRow]; let businessAsUsual: [ActionRow] }
        let title: String
        let year: String
        let endYear: Int
        let asOf: String
        let overall: String
        let areas: [Area]
        let recommendations: String
        let kind: String
    }

    /// The mid-year or annual report: what was planned, what was done, what carries over.
    func progress(req: Request) async throws -> Response {
        let year = try await Self.year(req)
        let midYear = req.queryValue("at") == "mid"
        let reportDay = midYear ? ActionPlanRules.midYear(of: year) : Day(year.end).adding(days: -1)
        let asOf = min(reportDay, req.today)
        let actions = try await PlanAction.query(on: req.db).filter(\.$planYear == year.endYear).sort(\.$createdAt).all()
        let rows = try await Self.rows(actions, on: req.db, today: asOf)
        var overall = ActionPlanRules.Progress()
        var areas: [ProgressView.Area] = []
        for area in PlanArea.allCases {
            var p = ActionPlanRules.Progress()
            let pairs = zip(actions, rows).filter { $0.0.area == area }
            for (a, _) in pairs {
                p.add(status: a.status, businessAsUsual: a.businessAsUsual, due: a.due, asOf: asOf)
                overall.add(status: a.status, businessAsUsual: a.businessAsUsual, due: a.due, asOf: asOf)
            }
            areas.append(.init(label: area.label, summary: pairs.isEmpty ? "No actions." : p.sentence,
                               done: pairs.filter { $0.0.status == .done && !$0.0.businessAsUsual }.map(\.1),
                               open: pairs.filter { ActionPlanRules.carriesOver(status: $0.0.status, businessAsUsual: $0.0.businessAsUsual) }.map(\.1),
                               businessAsUsual: pairs.filter { $0.0.businessAsUsual }.map(\.1)))
        }
        let recommendations = try await AuditRecommendation.query(on: req.db).all()
        let closed = recommendations.filter { $0.status.isClosed }.count
        try await req.audit(.read, .actionPlanProgress, detail: "\(year.description) \(midYear ? "mid-year" : "annual")")
        return try await req.render("ActionPlan/progress", ProgressView(
            title: midYear ? "Mid-year progress report" : "Annual progress report", year: year.description, endYear: year.endYear,
            asOf: reportDay.long, overall: overall.sentence, areas: areas,
            recommendations: "\(recommendations.count) internal audit \(recommendations.count == 1 ? "recommendation" : "recommendations"): \(closed) closed, \(recommendations.count - closed) open.",
            kind: midYear ? "mid" : "annual"),
            title: "\(midYear ? "Mid-year" : "Annual") progress \(year.description)")
    }
}
