import Fluent
import SQLKit
import Foundation
import LanternCore
import Vapor

/// The caseworker's list of cases (need-to-know filtered), opening a case from a concern or
/// directly, and changing the potential victim's details.
struct CasesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(.viewCases).grouped("cases")
        view.get(use: list)
        let edit = routes.requiring(.editCases).grouped("cases")
        edit.get("new") { try await Self.newCaseForm($0, from: nil) }
        edit.post("new") { try await Self.open($0, from: nil) }
        edit.get(":caseID", "edit", use: editForm)
        edit.post(":caseID", "edit", use: update)
    }

    struct ListRow {
        let id: String
        let reference: String
        let name: String
        let age: String
        let types: String
        let owner: String
        let opened: String
        let nextDeadline: String
        let overdue: Bool
        let status: String
    }

    /// Rows the case list counts past the start of the page asked for (20 pages of 50).
    static let countedAhead = 1_000
    /// The furthest page the count follows; a page asked for beyond it is answered as this one.
    static let deepestPage = 10_000

    func list(req: Request) async throws -> Response {
        let user = req.currentUser!
        let filter = req.queryValue("show").isEmpty ? "open" : req.queryValue("show")
        // A search by reference, or by name through the blind indexes: only within the cases
        // the person may open, since the scope below applies to it as to everything else.
        let search = String(req.queryValue("q").trimmingCharacters(in: .whitespaces).prefix(200))
        let nameHashes = CaseNameIndex.words(search).map { req.lookupKeys.blindIndex($0, purpose: CaseNameIndex.purpose) }
        let byReference = search.uppercased().hasPrefix("CASE-")
        // Read with SQL rather than Fluent models: hydrating 50 models by reflection cost more
        // than the query. The need-to-know rule is `NeedToKnow.CaseScope`, as everywhere.
        let sql = req.reads
        var conditions: [SQLQueryString] = []
        if byReference {
            conditions.append("reference = \(bind: search.uppercased())")
        } else {
            for hash in nameHashes { conditions.append("name_index LIKE \(bind: "% \(hash) %")") }
        }
        // Searching looks through closed cases too, unless a filter was chosen.
        if search.isEmpty || !req.queryValue("show").isEmpty {
            switch filter {
            case "mine": conditions += ["owner_id = \(bind: user.id!)", "status = \(bind: "open")"]
            case "closed": conditions.append("status = \(bind: "closed")")
            case "all": break
            default: conditions.append("status = \(bind: "open")")
            }
        }
        let scope = NeedToKnow.CaseScope(user)
        // Counted in the scope's parts (the team's cases, the person's own outside it), one
        // index range each, in one statement.
        // Counted only to `countedAhead` rows past the page asked for: a team's 25,000 open cases
        // took 6 ms to count on every request, and nobody pages through them.
        let requested = req.requestedPage
        let ceiling = min(requested - 1, Self.deepestPage) * Pagination.perPage + Self.countedAhead
        var counts = CountsInOneStatement()
        for (index, part) in scope.countedParts.enumerated() {
            counts.add("part\(index)", from: SafeguardingCase.schema, where: conditions + part, atMost: ceiling + 1)
        }
        let counted = try await counts.run(on: sql).values.reduce(0, +)
        let pagination = Pagination(page: requested, total: min(counted, ceiling), path: "/cases",
                                    query: [("show", filter)] + (search.isEmpty ? [] : [("q", search)]), moreThan: counted > ceiling)
        // Written as text (SQLKit's building cost more than the query); the owner's name comes
        // with each row from a subquery rather than a join, so the filters' columns stay unambiguous.
        var select: SQLQueryString = """
            SELECT id, reference, age_category, exploitation_types, owner_id, opened_at, next_deadline, status, wrapped_key, sealed, \
            (SELECT display_name FROM users WHERE users.id = cases.owner_id) AS owner_name FROM cases
            """
        let visible = conditions + (scope.condition.map { [$0] } ?? [])
        if !visible.isEmpty { select += " WHERE " + visible.joined(separator: " AND ") }
        select += " ORDER BY opened_at DESC LIMIT \(literal: Pagination.perPage) OFFSET \(literal: pagination.offset)"
        let rows = try await sql.raw(select).all()
        struct Listed { let id: UUID; let row: any SQLRow; let owner: String? }
        let listed = try rows.map { Listed(id: try $0.decode(column: "id", as: UUID.self), row: $0, owner: try $0.decode(column: "owner_name", as: String?.self)) }
        let today = req.today.iso
        let view = try listed.map { item in
            let r = item.row
            let wrapped = try WrappedDataKey.parse(try r.decode(column: "wrapped_key", as: Data.self))
            let s = try req.cipher.openRecord(SafeguardingCase.Names.self, wrapped: wrapped, sealed: try r.decode(column: "sealed", as: Data.self),
                                              table: SafeguardingCase.schema, recordID: item.id.uuidString)
            let types = try r.decode(column: "exploitation_types", as: String.self).split(separator: ",").compactMap { ExploitationType(rawValue: String($0)) }
            let deadline = try r.decode(column: "next_deadline", as: String?.self)
            return ListRow(id: item.id.uuidString, reference: try r.decode(column: "reference", as: String.self), name: "\(s.firstName) \(s.lastName)",
                           age: AgeCategory(rawValue: try r.decode(column: "age_category", as: String.self))?.label ?? "",
                           types: types.map(\.category.label).uniqued().joined(separator: ", "),
                           owner: item.owner ?? "Unassigned",
                           opened: DisplayDate.date(try r.decode(column: "opened_at", as: Date.self)),
                           nextDeadline: deadline.flatMap(Day.init(parsing:))?.long ?? "",
                           overdue: (deadline ?? "9999") < today, status: try r.decode(column: "status", as: String.self) == "open" ? "Open" : "Closed")
        }
        try await req.audit(.read, .caseList, detail: "\(view.count) rows, page \(pagination.page)")
        let filters = [("open", "Open"), ("mine", "Mine"), ("closed", "Closed"), ("all", "All")].map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == filter) }
        let page = CaseListPage(rows: view, pagination: pagination, filters: filters, canEdit: user.can(.editCases),
                                canImport: user.can(.overseeAllCases), search: search)
        return try await req.render(title: search.isEmpty ? "Cases" : "Cases matching \u{201C}\(search)\u{201D}") { html, _ in page.write(into: &html) }
    }

    struct FormView: Encodable {
        let id: String?
        /// Where the form posts: `/cases/new`, the origin's own path, or the case's edit path.
        let action: String
        let originReference: String?
        let values: [String: String]
        let types: [String: Bool]
        let errors: FormErrors
        let ages: [SelectOption]
        let under18: [SelectOption]
        let genders: [SelectOption]
        let locations: [SelectOption]
        /// The organisation's areas, with "Not known" first; empty when it keeps no list.
        let areas: [SelectOption]
        let typeOptions: [SelectOption]
        let teams: [SelectOption]
        let nationalities: [String]
    }

    private static func formView(_ req: Request, id: String? = nil, origin: CaseOrigin? = nil, values: [String: String],
                                 types: Set<String>, errors: FormErrors) async throws -> FormView {
        let teams = try await Team.query(on: req.db).sort(\.$name).all()
        let areaNames = try await PartnershipArea.names(on: req.db)
        return FormView(
            id: id, action: id.map { "/cases/\($0)/edit" } ?? origin?.formAction ?? "/cases/new", originReference: origin?.reference, values: values,
            types: Dictionary(uniqueKeysWithValues: types.map { ($0, true) }), errors: errors,
            ages: AgeCategory.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values["age"] == $0.rawValue) },
            under18: Answer.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values["under18_at_exploitation"] == $0.rawValue) },
            genders: RecordedGender.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values["gender"] == $0.rawValue) },
            locations: ExploitationLocation.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values["location"] == $0.rawValue) },
            areas: areaNames.isEmpty ? [] : [SelectOption(value: "", label: "Not known", selected: (values["area"] ?? "").isEmpty)]
                + areaNames.map { SelectOption(value: $0, label: $0, selected: values["area"] == $0) },
            typeOptions: ExploitationType.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: types.contains($0.rawValue)) },
            teams: teams.map { SelectOption(value: $0.id!.uuidString, label: $0.name, selected: values["team"] == $0.id!.uuidString) },
            nationalities: CaseForm.nationalities)
    }

    /// The form to open a case, directly or from a record such as a concern, which fills what it knows.
    static func newCaseForm(_ req: Request, from origin: CaseOrigin?) async throws -> Response {
        var values: [String: String] = ["team": req.currentUser?.$team.id?.uuidString ?? ""]
        if let origin {
            values.merge(origin.prefill) { $1 }
            if let team = origin.teamName, let found = try await Team.query(on: req.db).filter(\.$name == team).first() { values["team"] = found.id!.uuidString }
        }
        return try await req.render("Cases/form", try await formView(req, origin: origin, values: values, types: [], errors: FormErrors()),
                                    title: "Open a case")
    }

    /// Opens a case: the one way a case comes into being, whether directly or from a concern.
    static func open(_ req: Request, from origin: CaseOrigin?) async throws -> Response {
        var form = CaseForm(try req.form(CaseForm.Fields.self), today: req.today)
        form.checkArea(in: try await PartnershipArea.names(on: req.db))
        var errors = form.errors
        if form.teamID == nil { errors.add("team", "Choose the team that will hold the case") }
        let began = EnteredLater.check(form.fields.opened_on, reason: form.fields.opened_on_reason, today: req.today, what: "opened",
                                       field: "opened_on", reasonField: "opened_on_reason")
        for (field, message) in began.errors.sorted(by: { $0.key < $1.key }) { errors.add(field, message) }
        guard errors.isEmpty else {
            return try await req.render("Cases/form", try await formView(req, origin: origin, values: form.values, types: form.types, errors: errors),
                                        title: "Open a case", status: .unprocessableEntity)
        }
        let c = SafeguardingCase()
        c.concernID = origin?.id
        c.$owner.id = req.currentUser?.id
        c.status = .open
        // A case entered later is dated at noon on the day it began, so it counts in that day's period.
        c.openedAt = began.day?.noon ?? req.lantern.now()
        try form.apply(to: c, cipher: req.cipher, lookup: req.lookupKeys)
        // A possible duplicate is named by reference and team only, never merged.
        var duplicate: SafeguardingCase?
        if let index = c.personIndex { duplicate = try await SafeguardingCase.query(on: req.db).filter(\.$personIndex == index).first() }
        let lateReason = began.isBackdated ? form.fields.opened_on_reason : nil
        try await req.db.writeTransaction { db in
            c.reference = try await RecordReference.unique(prefix: "CASE", year: Day(c.openedAt).year, in: SafeguardingCase.schema, on: db)
            try await c.create(on: db)
            try await origin?.opened(db, c)
            let dated = began.day.map { "opened on \($0.iso), entered later" }
            try await req.audit(.create, .case, id: c.id?.uuidString, detail: [origin.map { "from \($0.reference)" }, dated].compactMap { $0 }.joined(separator: "; "),
                                sealed: lateReason, on: db)
        }
        try await CaseDeadlines.refresh(c, on: req.db, today: req.today)
        var message = "Case \(c.reference) opened."
        if let duplicate, let user = req.currentUser {
            // Only someone who may open the other case learns which it is: its reference and team
            // would tell a caseworker that another team works with this person.
            if NeedToKnow.mayOpen(duplicate, user) {
                let team = try await duplicate.$team.get(on: req.db)?.name ?? "no team"
                message += " A case with the same surname and date of birth exists (\(duplicate.reference), \(team)): check whether they are linked."
            } else {
                message += " A case with the same surname and date of birth may already exist. The safeguarding lead can see it on this case's page and link them if it is the same person."
            }
        }
        return req.redirect(to: "/cases/\(c.id!.uuidString)", saying: message)
    }

    func editForm(req: Request) async throws -> Response {
        let c = try await NeedToKnow.requireCase(req)
        let (values, types) = CaseForm.values(of: c, try c.open(with: req.cipher))
        try await req.audit(.read, .case, id: c.id?.uuidString, detail: "edit form")
        return try await req.render("Cases/form", try await Self.formView(req, id: c.id!.uuidString, values: values, types: types, errors: FormErrors()),
                                    title: "Change \(c.reference)")
    }

    func update(req: Request) async throws -> Response {
        let c = try await NeedToKnow.requireCase(req)
        var form = CaseForm(try req.form(CaseForm.Fields.self), today: req.today)
        form.checkArea(in: try await PartnershipArea.names(on: req.db))
        guard form.errors.isEmpty else {
            return try await req.render("Cases/form", try await Self.formView(req, id: c.id!.uuidString, values: form.values, types: form.types, errors: form.errors),
                                        title: "Change \(c.reference)", status: .unprocessableEntity)
        }
        var secrets = form.secrets
        secrets.indicators = try c.open(with: req.cipher).indicators
        var kept = form
        kept.secrets = secrets
        try kept.apply(to: c, cipher: req.cipher, lookup: req.lookupKeys)
        try await req.write(c, .update, .case, detail: "person details")
        return req.redirect(to: "/cases/\(c.id!.uuidString)", saying: "Details saved.")
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
