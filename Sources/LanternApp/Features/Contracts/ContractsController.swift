import Fluent
import Foundation
import LanternCore
import Vapor

/// The contract list (filtered, exportable) and adding and changing contracts.
struct ContractsController: Register {
    static let path = "contracts", idParameter = "contractID"
    static let viewPermission = Permission.viewContracts, editPermission = Permission.editContracts

    // MARK: List

    struct Filters: Encodable {
        let q: String
        let risk: String
        let review: String
        var mine: Bool

        init(_ req: Request) { self.init { req.queryValue($0) } }

        /// From the query's values by name (a request's, or a job's saved query).
        init(_ value: (String) -> String) {
            q = String(value("q").prefix(200))
            let risk = value("risk")
            self.risk = RiskLevel(rawValue: risk) != nil || risk == "not_assessed" ? risk : ""
            let review = value("review")
            self.review = ["overdue", "due_soon", "scheduled"].contains(review) ? review : ""
            mine = value("mine") == "1"
        }

        var pairs: [(String, String)] { [("q", q), ("risk", risk), ("review", review), ("mine", mine ? "1" : "")] }
    }

    static func filtered(_ filters: Filters, today: Day, user: User?, on db: any Database) -> QueryBuilder<Contract> {
        let query = Contract.query(on: db)
        if !filters.q.isEmpty { query.filter(\.$titleKey, .custom("LIKE"), "%\(OrganisationName.key(filters.q))%") }
        if filters.risk == "not_assessed" { query.filter(\.$riskLevel == nil) }
        else if !filters.risk.isEmpty { query.filter(\.$riskLevel == filters.risk) }
        let soon = today.adding(days: 30).iso
        switch filters.review {
        case "overdue": query.filter(\.$needsReview == true).filter(\.$status == .active).filter(\.$nextReviewDate < today.iso)
        case "due_soon": query.filter(\.$needsReview == true).filter(\.$status == .active).filter(\.$nextReviewDate >= today.iso).filter(\.$nextReviewDate <= soon)
        case "scheduled": query.filter(\.$needsReview == true).filter(\.$status == .active).filter(\.$nextReviewDate > soon)
        default: break
        }
        if filters.mine, let id = user?.id { query.filter(\.$contractManager.$id == id) }
        return query
    }

    struct Row: Encodable {
        let id: String
        let title: String
        let supplier: String
        let supplierID: String
        let value: String
        let risk: String
        let riskLabel: String
        let review: String
        let reviewStatus: String
        let reviewLabel: String
    }

    struct ListView: Encodable {
        let filters: Filters
        let risks: [SelectOption]
        let reviews: [SelectOption]
        let rows: [Row]
        let pagination: Pagination
        let exportLink: String
        let canEdit: Bool
    }

    static func reviewLabel(_ status: ReviewSchedule.Status) -> String {
        switch status {
        case .overdue: "Overdue"
        case .dueSoon: "Due within 30 days"
        case .scheduled: "Scheduled"
        case .notRequired: "Not required"
        }
    }

    static func rows(_ contracts: [Contract], today: Day, on db: any Database) async throws -> [Row] {
        let supplierIDs = Array(Set(contracts.map { $0.$supplier.id }))
        let names = Dictionary(uniqueKeysWithValues: try await Supplier.query(on: db).filter(\.$id ~~ supplierIDs)
            .field(\.$id).field(\.$name).all().map { ($0.id!, $0.name) })
        return contracts.map { c in
            let status = c.reviewStatus(today: today)
            return Row(id: c.id!.uuidString, title: c.title, supplier: names[c.$supplier.id] ?? "", supplierID: c.$supplier.id.uuidString,
                       value: c.value?.description ?? "", risk: c.riskLevel ?? "not_assessed", riskLabel: c.level?.label ?? "Not assessed",
                       review: c.nextReview?.long ?? "", reviewStatus: status.rawValue, reviewLabel: reviewLabel(status))
        }
    }

    func list(req: Request) async throws -> Response {
        let filters = Filters(req)
        let today = req.today
        // Reviews are listed by due date, most overdue first; everything else by title.
        let query = Self.filtered(filters, today: today, user: req.currentUser, on: req.db)
        let sorted = filters.review.isEmpty ? query.sort(\.$titleKey) : query.sort(\.$nextReviewDate).sort(\.$titleKey)
        let (pagination, contracts) = try await Self.page(req, filters: filters.pairs,
                                                          count: Self.filtered(filters, today: today, user: req.currentUser, on: req.db), rows: sorted)
        let view = ListView(
            filters: filters,
            risks: ([("not_assessed", "Not assessed")] + RiskLevel.allCases.reversed().map { ($0.rawValue, $0.label) })
                .map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == filters.risk) },
            reviews: [("overdue", "Overdue"), ("due_soon", "Due within 30 days"), ("scheduled", "Scheduled")]
                .map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == filters.review) },
            rows: try await Self.rows(contracts, today: today, on: req.db), pagination: pagination,
            exportLink: Self.exportLink(filters.pairs),
            canEdit: req.currentUser?.can(.editContracts) ?? false)
        return try await req.render("Contracts/list", view, title: "Contracts")
    }

    static func exportCount(query: (String) -> String, user: User?, today: Day, on db: any Database) async throws -> Int {
        try await filtered(Filters(query), today: today, user: user, on: db).countRows()
    }

    static func exportFile(query: (String) -> String, user: User?, today: Day, on db: any Database) async throws -> RegisterExport {
        let contracts = try await filtered(Filters(query), today: today, user: user, on: db).sort(\.$titleKey).all()
        let rows = try await Self.rows(contracts, today: today, on: db)
        return RegisterExport(
            filename: "contracts.csv", entity: .contract,
            header: ["title", "supplier", "reference", "value", "annual_value", "start_date", "end_date", "category", "business_critical",
                     "regime", "clauses_included", "statement_required", "risk_level", "risk_score", "assessed_on", "next_review_date", "review_status", "status"],
            rows: zip(contracts, rows).map { c, row in
                [c.title, row.supplier, c.reference ?? "", c.value?.plain ?? "", c.annualValue?.plain ?? "", c.startDate ?? "", c.endDate ?? "",
                 c.category ?? "", c.businessCritical ? "yes" : "no", c.regime, c.clausesIncluded ? "yes" : "no",
                 c.statementRequired ? "yes" : "no", c.riskLevel ?? "", c.riskScore.map(String.init) ?? "", c.assessedOn ?? "",
                 c.nextReviewDate ?? "", row.reviewStatus, c.status.rawValue]
            })
    }

    // MARK: Add and change

    struct Form: Content {
        var title: String?
        var reference: String?
        var supplier: String?
        var category: String?
        var value: String?
        var annual_value: String?
        var start_date: String?
        var end_date: String?
        var procurement_started: String?
        var contract_manager: String?
        var business_critical: String?
        var regime: String?
        var clauses_included: String?
        var next_review_date: String?
        var status: String?
    }

    struct FormView: Encodable {
        let action: String
        let heading: String
        let submit: String
        let cancel: String
        let values: [String: String]
        let managers: [SelectOption]
        let regimes: [SelectOption]
        let statuses: [SelectOption]
        let businessCritical: Bool
        let clausesIncluded: Bool
        let errors: FormErrors
    }

    private func formView(req: Request, action: String, heading: String, submit: String, cancel: String, form: Form,
                          errors: FormErrors = FormErrors()) async throws -> FormView {
        let managers = try await User.query(on: req.db).filter(\.$isActive == true)
            .filter(\.$role ~~ [.contractManager, .procurementOfficer]).sort(\.$displayName).all()
        let values: [String: String] = [
            "title": form.title ?? "", "reference": form.reference ?? "", "supplier": form.supplier ?? "", "category": form.category ?? "",
            "value": form.value ?? "", "annual_value": form.annual_value ?? "", "start_date": form.start_date ?? "",
            "end_date": form.end_date ?? "", "procurement_started": form.procurement_started ?? "",
            "next_review_date": form.next_review_date ?? "",
        ]
        return FormView(
            action: action, heading: heading, submit: submit, cancel: cancel, values: values,
            managers: managers.map { SelectOption(value: $0.id!.uuidString, label: "\($0.displayName) (\($0.role.displayName))", selected: $0.id?.uuidString == form.contract_manager) },
            regimes: ProcurementRegime.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.regime) },
            statuses: [("active", "Active"), ("ended", "Ended"), ("terminated", "Terminated")].map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == (form.status ?? "active")) },
            businessCritical: form.business_critical == "yes", clausesIncluded: form.clauses_included == "yes", errors: errors)
    }

    static func form(from contract: Contract, supplierName: String) -> Form {
        Form(title: contract.title, reference: contract.reference, supplier: supplierName, category: contract.category,
             value: contract.value?.plain, annual_value: contract.annualValue?.plain, start_date: contract.startDate, end_date: contract.endDate,
             procurement_started: contract.procurementStarted, contract_manager: contract.$contractManager.id?.uuidString,
             business_critical: contract.businessCritical ? "yes" : "no", regime: contract.regime,
             clauses_included: contract.clausesIncluded ? "yes" : "no", next_review_date: contract.nextReviewDate, status: contract.status.rawValue)
    }

    /// Checks every field and, when all is well, copies the form onto `contract`.
    /// What a bulk upsert has already read, so that checking 10,000 rows does not ask the
    /// database 10,000 times: suppliers by company number, and the policy.
    struct Preloaded {
        let suppliersByNumber: [String: Supplier]
        let policy: ProcurementPolicy
    }

    func validate(_ form: Form, into contract: Contract, req: Request, preloaded: Preloaded? = nil) async throws -> FormErrors {
        var errors = FormErrors()
        let trim = { (s: String?) in (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let title = trim(form.title)
        if title.isEmpty { errors.add("title", "Enter the contract's title") } else if title.count > 300 { errors.add("title", "The title must be 300 characters or fewer") }
        let reference = trim(form.reference)
        if reference.count > 100 { errors.add("reference", "The reference must be 100 characters or fewer") }
        let supplierRef = trim(form.supplier)
        var supplier: Supplier?
        if supplierRef.isEmpty {
            errors.add("supplier", "Enter the supplier's name or company number")
        } else {
            if let preloaded {
                supplier = CompanyNumber.normalise(supplierRef).flatMap { preloaded.suppliersByNumber[$0] }
            } else if let number = CompanyNumber.normalise(supplierRef) {
                supplier = try await Supplier.query(on: req.db).filter(\.$companyNumber == number).first()
            }
            if supplier == nil, preloaded == nil { supplier = try await Supplier.query(on: req.db).filter(\.$nameKey == OrganisationName.key(supplierRef)).first() }
            if supplier == nil { errors.add("supplier", "No supplier is registered as \(supplierRef); add the supplier first") }
        }
        let category = trim(form.category)
        if category.count > 200 { errors.add("category", "The category must be 200 characters or fewer") }
        func money(_ raw: String?, _ field: String, _ name: String) -> Money? {
            let text = trim(raw)
            guard !text.isEmpty else { return nil }
            guard let value = Money(parsing: text) else { errors.add(field, "Enter the \(name) in pounds, like 25000 or 25,000.50"); return nil }
            return value
        }
        func day(_ raw: String?, _ field: String, _ name: String) -> Day? {
            let text = trim(raw)
            guard !text.isEmpty else { return nil }
            guard let value = Day(parsing: text) else { errors.add(field, "Enter the \(name) as a real date, like 2026-04-01 or 01/04/2026"); return nil }
            return value
        }
        let value = money(form.value, "value", "total value"), annual = money(form.annual_value, "annual_value", "annual value")
        if let value, let annual, annual > value { errors.add("annual_value", "The annual value cannot be more than the total value") }
        let start = day(form.start_date, "start_date", "start date"), end = day(form.end_date, "end_date", "end date")
        if let start, let end, end < start { errors.add("end_date", "The end date must be on or after the start date") }
        let started = day(form.procurement_started, "procurement_started", "date the procurement started")
        var manager: UUID?
        if let raw = form.contract_manager, !raw.isEmpty {
            manager = UUID(uuidString: raw)
            let found = try await manager.asyncFlatMap { try await User.find($0, on: req.db) }
            if found == nil { errors.add("contract_manager", "Choose a contract manager from the list") }
        }
        let regime: ProcurementRegime
        if let raw = form.regime, !raw.isEmpty {
            regime = ProcurementRegime(rawValue: raw) ?? .ppn0223
            if ProcurementRegime(rawValue: raw) == nil { errors.add("regime", "Choose the procurement regime from the list") }
        } else {
            regime = (started ?? start).map(ProcurementRegime.forProcurementStarted(on:)) ?? .procurementAct2023
        }
        let status = form.status ?? "active"
        if !["active", "ended", "terminated"].contains(status) { errors.add("status", "Choose a status from the list") }
        let nextReview = day(form.next_review_date, "next_review_date", "next review date")
        guard errors.isEmpty, let supplier else { return errors }

        var policy = preloaded?.policy ?? ProcurementPolicy()
        if preloaded == nil, let current = try await Organisation.current(on: req.db)?.procurementPolicy { policy = current }
        contract.title = title
        contract.titleKey = OrganisationName.key(title)
        contract.reference = reference.isEmpty ? nil : reference
        contract.$supplier.id = supplier.id!
        contract.category = category.isEmpty ? nil : category
        contract.valuePence = value?.pence
        contract.annualValuePence = annual?.pence
        contract.startDate = start?.iso
        contract.endDate = end?.iso
        contract.procurementStarted = started?.iso
        contract.$contractManager.id = manager
        contract.businessCritical = form.business_critical == "yes"
        contract.regime = regime.rawValue
        contract.clausesIncluded = form.clauses_included == "yes"
        contract.status = ContractStatus(rawValue: status) ?? .active
        contract.applyPolicy(policy)
        let proposed = nextReview ?? (contract.needsReview ? ReviewSchedule.nextDue(lastReview: contract.lastReviewDate.flatMap(Day.init(parsing:)), contractStart: start, today: req.today) : nil)
        if let problem = ReviewSchedule.problem(nextReview: proposed, needsReview: contract.needsReview, today: req.today), nextReview != nil {
            errors.add("next_review_date", problem)
            return errors
        }
        contract.nextReviewDate = proposed?.iso
        return errors
    }

    func newForm(req: Request) async throws -> Response {
        var form = Form()
        if let id = UUID(uuidString: req.queryValue("supplier")), let supplier = try await Supplier.find(id, on: req.db) {
            form.supplier = supplier.companyNumber ?? supplier.name
        }
        return try await req.render("Contracts/form", try await formView(req: req, action: "/contracts", heading: "Add a contract", submit: "Add contract",
                                                                        cancel: "/contracts", form: form), title: "Add a contract")
    }

    func create(req: Request) async throws -> Response {
        let form = try req.form(Form.self)
        let contract = Contract(title: "", supplierID: UUID())
        let errors = try await validate(form, into: contract, req: req)
        guard errors.isEmpty else {
            return try await req.render("Contracts/form", try await formView(req: req, action: "/contracts", heading: "Add a contract", submit: "Add contract",
                                                                            cancel: "/contracts", form: form, errors: errors),
                                        title: "Add a contract", status: .unprocessableEntity)
        }
        try await req.write(contract, .create, .contract)
        return req.redirect(to: "/contracts/\(contract.id!.uuidString)", saying: "Contract \(contract.title) added. Assess its modern slavery risk next.")
    }

    func editForm(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        let supplier = try await contract.$supplier.get(on: req.db)
        let id = contract.id!.uuidString
        return try await req.render("Contracts/form", try await formView(req: req, action: "/contracts/\(id)", heading: "Change \(contract.title)", submit: "Save changes",
                                                                        cancel: "/contracts/\(id)", form: Self.form(from: contract, supplierName: supplier.companyNumber ?? supplier.name)),
                                    title: "Change contract")
    }

    func update(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        let id = contract.id!.uuidString
        let form = try req.form(Form.self)
        let errors = try await validate(form, into: contract, req: req)
        guard errors.isEmpty else {
            return try await req.render("Contracts/form", try await formView(req: req, action: "/contracts/\(id)", heading: "Change \(contract.title)", submit: "Save changes",
                                                                            cancel: "/contracts/\(id)", form: form, errors: errors),
                                        title: "Change contract", status: .unprocessableEntity)
        }
        try await req.write(contract, .update, .contract, id: id)
        return req.redirect(to: "/contracts/\(id)", saying: "Changes to \(contract.title) saved.")
    }
}
