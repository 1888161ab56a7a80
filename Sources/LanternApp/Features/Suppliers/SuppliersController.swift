import Fluent
import Foundation
import LanternCore
import Vapor

/// The supplier register: a filtered list with CSV export, and adding and changing suppliers.
struct SuppliersController: Register {
    static let path = "suppliers", idParameter = "supplierID"
    static let viewPermission = Permission.viewSuppliers, editPermission = Permission.editSuppliers

    // MARK: List

    struct Filters: Encodable {
        let q: String
        let sector: String
        let standing: String

        init(_ req: Request) { self.init { req.queryValue($0) } }

        /// From the query's values by name (a request's, or a job's saved query).
        init(_ value: (String) -> String) {
            q = String(value("q").prefix(200))
            sector = Sector(rawValue: value("sector"))?.rawValue ?? ""
            standing = Supplier.StatementStanding(rawValue: value("standing"))?.rawValue ?? ""
        }

        var pairs: [(String, String)] { [("q", q), ("sector", sector), ("standing", standing)] }
    }

    /// The filters as a query; the list, the export and the dashboard links share it.
    static func filtered(_ filters: Filters, today: Day, on db: any Database) -> QueryBuilder<Supplier> {
        let query = Supplier.query(on: db)
        if !filters.q.isEmpty {
            let key = OrganisationName.key(filters.q)
            if let number = CompanyNumber.normalise(filters.q), filters.q.contains(where: \.isNumber) {
                query.group(.or) { $0.filter(\.$companyNumber == number).filter(\.$nameKey, .custom("LIKE"), "%\(key)%") }
            } else {
                query.filter(\.$nameKey, .custom("LIKE"), "%\(key)%")
            }
        }
        if let sector = Sector(rawValue: filters.sector) {
            query.filter(\.$sectors, .custom("LIKE"), "%\(sector.rawValue)%")
        }
        let staleBefore = today.adding(months: -StatementCurrency.graceMonths).iso
        switch Supplier.StatementStanding(rawValue: filters.standing) {
        case .none?: query.filter(\.$statementGaps == nil)
        case .gaps?: query.filter(\.$statementGaps > 0)
        case .outOfDate?: query.filter(\.$statementGaps != nil).filter(\.$statementPeriodEnd < staleBefore)
        case .complete?:
            query.filter(\.$statementGaps == 0).group(.or) { $0.filter(\.$statementPeriodEnd == nil).filter(\.$statementPeriodEnd >= staleBefore) }
        case nil: break
        }
        return query
    }

    struct Row: Encodable {
        let id: String
        let name: String
        let companyNumber: String
        let sectors: String
        let turnover: String
        let standing: String
        let standingLabel: String
    }

    struct ListView: Encodable {
        let filters: Filters
        let sectors: [SelectOption]
        let standings: [SelectOption]
        let rows: [Row]
        let pagination: Pagination
        let exportLink: String
        let canEdit: Bool
    }

    func list(req: Request) async throws -> Response {
        let filters = Filters(req)
        let today = req.today
        let (pagination, suppliers) = try await Self.page(req, filters: filters.pairs, count: Self.filtered(filters, today: today, on: req.db),
                                                          rows: Self.filtered(filters, today: today, on: req.db).sort(\.$nameKey))
        let rows = suppliers.map { supplier in
            let standing = supplier.statementStanding(today: today)
            return Row(id: supplier.id!.uuidString, name: supplier.name, companyNumber: supplier.companyNumber ?? "",
                       sectors: supplier.sectorList.map(\.label).joined(separator: "; "), turnover: supplier.turnover?.label ?? "",
                       standing: standing.rawValue, standingLabel: standing.label)
        }
        let view = ListView(
            filters: filters,
            sectors: Sector.allCases.sorted { $0.label < $1.label }.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filters.sector) },
            standings: Supplier.StatementStanding.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filters.standing) },
            rows: rows, pagination: pagination, exportLink: Self.exportLink(filters.pairs),
            canEdit: req.currentUser?.can(.editSuppliers) ?? false)
        return try await req.render("Suppliers/list", view, title: "Suppliers")
    }

    static func exportCount(query: (String) -> String, user: User?, today: Day, on db: any Database) async throws -> Int {
        try await filtered(Filters(query), today: today, on: db).countRows()
    }

    static func exportFile(query: (String) -> String, user: User?, today: Day, on db: any Database) async throws -> RegisterExport {
        let suppliers = try await filtered(Filters(query), today: today, on: db).sort(\.$nameKey).all()
        return RegisterExport(
            filename: "suppliers.csv", entity: .supplier,
            header: ["name", "company_number", "sector", "country", "turnover_band", "statement_url", "address", "parent_company",
                     "sq_7_1", "sq_7_2", "declaration_signed_on", "statement_gaps", "statement_period_end", "statement_standing"],
            rows: suppliers.map { s in
                // Sectors and turnover as their labels, which the supplier import reads back.
                [s.name, s.companyNumber ?? "", s.sectorList.map(\.label).joined(separator: "; "), s.operationCountries.joined(separator: "; "),
                 s.turnoverBand.flatMap(TurnoverBand.init(rawValue:))?.label ?? s.turnoverBand ?? "", s.statementURL ?? s.sqStatementURL ?? "", s.address ?? "", s.parentCompany ?? "",
                 s.sqRelevant ?? "", s.sqCompliant ?? "", s.declarationSignedOn ?? "", s.statementGaps.map(String.init) ?? "",
                 s.statementPeriodEnd ?? "", s.statementStanding(today: today).rawValue]
            })
    }

    // MARK: Add and change

    struct Form: Content {
        var name: String?
        var company_number: String?
        var address: String?
        var sectors: [String]?
        var countries_operation: String?
        var countries_sourcing: String?
        var turnover_band: String?
        var parent_company: String?
        var statement_url: String?
    }

    struct FormView: Encodable {
        let action: String
        let heading: String
        let submit: String
        let cancel: String
        let values: [String: String]
        let sectors: [SelectOption]
        let turnovers: [SelectOption]
        let errors: FormErrors
    }

    private func formView(action: String, heading: String, submit: String, cancel: String, form: Form, errors: FormErrors = FormErrors()) -> FormView {
        let chosen = Set(form.sectors ?? [])
        return FormView(
            action: action, heading: heading, submit: submit, cancel: cancel,
            values: ["name": form.name ?? "", "company_number": form.company_number ?? "", "address": form.address ?? "",
                     "countries_operation": form.countries_operation ?? "", "countries_sourcing": form.countries_sourcing ?? "",
                     "parent_company": form.parent_company ?? "", "statement_url": form.statement_url ?? ""],
            sectors: Sector.allCases.sorted { $0.label < $1.label }.map { SelectOption(value: $0.rawValue, label: $0.label, selected: chosen.contains($0.rawValue)) },
            turnovers: TurnoverBand.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.turnover_band) },
            errors: errors)
    }

    static func form(from supplier: Supplier) -> Form {
        Form(name: supplier.name, company_number: supplier.companyNumber, address: supplier.address,
             sectors: supplier.sectorList.map(\.rawValue), countries_operation: supplier.countriesOfOperation,
             countries_sourcing: supplier.countriesOfSourcing, turnover_band: supplier.turnoverBand,
             parent_company: supplier.parentCompany, statement_url: supplier.statementURL)
    }

    /// Checks every field, then copies the form onto `supplier` when all is well.
    func validate(_ form: Form, into supplier: Supplier, req: Request) async throws -> FormErrors {
        var errors = FormErrors()
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let rawNumber = (form.company_number ?? "").trimmingCharacters(in: .whitespaces)
        let number = CompanyNumber.normalise(rawNumber)
        if !rawNumber.isEmpty && number == nil {
            errors.add("company_number", "Enter a Companies House number of 8 characters, such as 01234567 or SC123456")
        } else if let number, let other = try await Supplier.query(on: req.db).filter(\.$companyNumber == number).first(), other.id != supplier.id {
            errors.add("company_number", "\(other.name) already has company number \(number)")
        }
        if !name.isEmpty, name.count <= 200, number == nil, let other = try await Supplier.query(on: req.db).filter(\.$nameKey == OrganisationName.key(name)).first(), other.id != supplier.id {
            errors.add("name", "\(other.name) is already registered; give the company number if this is a different organisation")
        }
        return SupplierFields.apply(form, number: number, to: supplier, errors: errors)
    }

    func newForm(req: Request) async throws -> Response {
        try await req.render("Suppliers/form", formView(action: "/suppliers", heading: "Add a supplier", submit: "Add supplier",
                                                        cancel: "/suppliers", form: Form()), title: "Add a supplier")
    }

    func create(req: Request) async throws -> Response {
        let form = try req.form(Form.self)
        let supplier = Supplier(name: "")
        let errors = try await validate(form, into: supplier, req: req)
        guard errors.isEmpty else {
            return try await req.render("Suppliers/form", formView(action: "/suppliers", heading: "Add a supplier", submit: "Add supplier",
                                                                   cancel: "/suppliers", form: form, errors: errors),
                                        title: "Add a supplier", status: .unprocessableEntity)
        }
        try await req.write(supplier, .create, .supplier)
        return req.redirect(to: "/suppliers/\(supplier.id!.uuidString)", saying: "\(supplier.name) added to the register.")
    }

    func editForm(req: Request) async throws -> Response {
        let supplier = try await SupplierPage.find(req)
        let id = supplier.id!.uuidString
        return try await req.render("Suppliers/form", formView(action: "/suppliers/\(id)", heading: "Change \(supplier.name)", submit: "Save changes",
                                                               cancel: "/suppliers/\(id)", form: Self.form(from: supplier)), title: "Change supplier")
    }

    func update(req: Request) async throws -> Response {
        let supplier = try await SupplierPage.find(req)
        let id = supplier.id!.uuidString
        let form = try req.form(Form.self)
        let errors = try await validate(form, into: supplier, req: req)
        guard errors.isEmpty else {
            return try await req.render("Suppliers/form", formView(action: "/suppliers/\(id)", heading: "Change \(supplier.name)", submit: "Save changes",
                                                                   cancel: "/suppliers/\(id)", form: form, errors: errors),
                                        title: "Change supplier", status: .unprocessableEntity)
        }
        try await req.write(supplier, .update, .supplier, id: id)
        return req.redirect(to: "/suppliers/\(id)", saying: "Changes to \(supplier.name) saved.")
    }
}

/// The checks on a supplier's fields that need no database, shared by the form, the API and
/// its bulk upsert (which reads the register once for all its rows).
enum SupplierFields {
    /// Adds this form's field errors to `errors`; when there are none, copies the form onto `supplier`.
    static func apply(_ form: SuppliersController.Form, number: String?, to supplier: Supplier, errors: FormErrors = FormErrors()) -> FormErrors {
        var errors = errors
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("name", "Enter the supplier's name") }
        else if name.count > 200 { errors.add("name", "The supplier's name must be 200 characters or fewer") }
        let sectors = (form.sectors ?? []).compactMap(Sector.init(rawValue:))
        if sectors.count != (form.sectors ?? []).count { errors.add("sectors", "Choose sectors from the list") }
        let operation = Supplier.countries(form.countries_operation ?? ""), sourcing = Supplier.countries(form.countries_sourcing ?? "")
        if operation.contains(where: { $0.count > 80 }) { errors.add("countries_operation", "Each country must be 80 characters or fewer") }
        if sourcing.contains(where: { $0.count > 80 }) { errors.add("countries_sourcing", "Each country must be 80 characters or fewer") }
        let turnover = (form.turnover_band ?? "").isEmpty ? nil : TurnoverBand(rawValue: form.turnover_band!)
        if !(form.turnover_band ?? "").isEmpty && turnover == nil { errors.add("turnover_band", "Choose a turnover band from the list") }
        let address = (form.address ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if address.count > 1000 { errors.add("address", "The address must be 1,000 characters or fewer") }
        let parent = (form.parent_company ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if parent.count > 200 { errors.add("parent_company", "The parent company's name must be 200 characters or fewer") }
        let url = (form.statement_url ?? "").trimmingCharacters(in: .whitespaces)
        if !url.isEmpty && !(url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://")) {
            errors.add("statement_url", "Enter the statement's address starting with http:// or https://")
        } else if url.count > 2000 {
            errors.add("statement_url", "The statement's address must be 2,000 characters or fewer")
        }
        guard errors.isEmpty else { return errors }
        supplier.name = name
        supplier.nameKey = OrganisationName.key(name)
        supplier.companyNumber = number
        supplier.address = address.isEmpty ? nil : address
        supplier.sectors = sectors.map(\.rawValue).joined(separator: ",")
        supplier.countriesOfOperation = operation.joined(separator: "; ")
        supplier.countriesOfSourcing = sourcing.joined(separator: "; ")
        supplier.turnoverBand = turnover?.rawValue
        supplier.parentCompany = parent.isEmpty ? nil : parent
        supplier.statementURL = url.isEmpty ? nil : url
        return errors
    }
}
