import Fluent
import Foundation
import LanternAPI
import LanternCore
import SQLKit
import Vapor

/// The supplier register over the API: the same filters, checks and audit rows as its pages.
extension LanternAPIService {
    func listSuppliers(_ input: Operations.ListSuppliers.Input) async throws -> Operations.ListSuppliers.Output {
        let req = try await request(requiring: .viewSuppliers)
        let q = try checked(input.query.q, "q", max: 200)
        let limit = try APIPage.limit(input.query.limit)
        let cursor = try APICursor.read(try checked(input.query.cursor, "cursor", max: 200))
        let values = ["q": q, "sector": input.query.sector?.rawValue ?? "", "standing": input.query.standing?.rawValue ?? ""]
        let query = SuppliersController.filtered(.init { values[$0] ?? "" }, today: req.today, on: req.db)
        let rows = try await query.page(after: cursor, by: \.$nameKey, limit: limit).plainRows(APIListed<Components.Schemas.Supplier>.self)
        let (page, next) = APICursor.split(rows, limit: limit) { ($0.key, $0.id) }
        return .ok(.init(body: .json(.init(items: page.map(\.item), nextCursor: next))))
    }

    func getSupplier(_ input: Operations.GetSupplier.Input) async throws -> Operations.GetSupplier.Output {
        let req = try await request(requiring: .viewSuppliers)
        guard let supplier = try await Supplier.find(try id(input.path.supplierId), on: req.db) else { throw APIProblem.notFound }
        return .ok(.init(body: .json(Self.supplier(supplier))))
    }

    func createSupplier(_ input: Operations.CreateSupplier.Input) async throws -> Operations.CreateSupplier.Output {
        let req = try await request(requiring: .editSuppliers)
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType) }
        let supplier = Supplier(name: "")
        let errors = try await SuppliersController().validate(Self.form(body), into: supplier, req: req)
        guard errors.isEmpty else { throw APIProblem.invalid(errors) }
        try await req.write(supplier, .create, .supplier, detail: "API")
        return .created(.init(body: .json(Self.supplier(supplier))))
    }

    func updateSupplier(_ input: Operations.UpdateSupplier.Input) async throws -> Operations.UpdateSupplier.Output {
        let req = try await request(requiring: .editSuppliers)
        guard case .json(let changes) = input.body else { throw APIProblem(.unsupportedMediaType) }
        guard let supplier = try await Supplier.find(try id(input.path.supplierId), on: req.db) else { throw APIProblem.notFound }
        var form = SuppliersController.form(from: supplier)
        if let v = changes.name { form.name = v }
        if let v = changes.companyNumber { form.company_number = v }
        if let v = changes.address { form.address = v }
        if let v = changes.sectors { form.sectors = v.map(\.rawValue) }
        if let v = changes.countriesOperation { form.countries_operation = v.joined(separator: "; ") }
        if let v = changes.countriesSourcing { form.countries_sourcing = v.joined(separator: "; ") }
        if let v = changes.turnoverBand { form.turnover_band = v.rawValue }
        if let v = changes.parentCompany { form.parent_company = v }
        if let v = changes.statementUrl { form.statement_url = v }
        let errors = try await SuppliersController().validate(form, into: supplier, req: req)
        guard errors.isEmpty else { throw APIProblem.invalid(errors) }
        try await req.write(supplier, .update, .supplier, detail: "API")
        return .ok(.init(body: .json(Self.supplier(supplier))))
    }

    /// All or nothing: every supplier is checked first, and the first wrong one stops nothing
    /// but the save, so the answer names every wrong field at once.
    func upsertSuppliers(_ input: Operations.UpsertSuppliers.Input) async throws -> Operations.UpsertSuppliers.Output {
        let req = try await request(requiring: .editSuppliers)
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType) }
        let items = body.suppliers
        guard items.count <= 10_000 else {
            throw APIProblem(.unprocessableEntity, title: "Too many suppliers", "Send at most 10,000 suppliers in one call.", errors: [.init(field: "/suppliers", detail: "has \(items.count) items")])
        }
        var problems: [APIProblem.FieldError] = []
        var numbers: [String] = []
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let raw = (item.companyNumber ?? "").trimmingCharacters(in: .whitespaces)
            guard let number = CompanyNumber.normalise(raw) else {
                problems.append(.init(field: "/suppliers/\(index)/company_number",
                                      detail: raw.isEmpty ? "A bulk upsert matches suppliers by company number: give one" : "Enter a Companies House number of 8 characters, such as 01234567 or SC123456"))
                numbers.append("")
                continue
            }
            if let earlier = seen[number] {
                problems.append(.init(field: "/suppliers/\(index)/company_number", detail: "\(number) is also at /suppliers/\(earlier)"))
            }
            seen[number] = index
            numbers.append(number)
        }
        var existing: [String: Supplier] = [:]
        for chunk in Set(numbers.filter { !$0.isEmpty }).sorted().chunked(500) {
            for supplier in try await Supplier.query(on: req.db).filter(\.$companyNumber ~~ Array(chunk)).decodedRows() {
                existing[supplier.companyNumber!] = supplier
            }
        }
        var toCreate: [Supplier] = [], toUpdate: [Supplier] = []
        for (index, item) in items.enumerated() where !numbers[index].isEmpty {
            let supplier = existing[numbers[index]] ?? Supplier(name: "")
            let errors = SupplierFields.apply(Self.form(item), number: numbers[index], to: supplier)
            problems += errors.items.map { .init(field: "/suppliers/\(index)/\($0.field)", detail: $0.message) }
            if supplier.id == nil { toCreate.append(supplier) } else { toUpdate.append(supplier) }
        }
        guard problems.isEmpty else {
            throw APIProblem(.unprocessableEntity, title: "The request has wrong fields", "Nothing was saved.", errors: problems)
        }
        let now = req.lantern.now()
        for supplier in toCreate { supplier.id = UUID(); supplier.createdAt = now; supplier.updatedAt = now }
        let (created, matched) = (toCreate, toUpdate)
        for supplier in matched { supplier.updatedAt = now }
        try await req.db.writeTransaction { db in
            for chunk in created.chunked(200) { try await Array(chunk).create(on: db) }
            var changed = 0
            for supplier in matched where try await supplier.updateChanges(on: db) { changed += 1 }
            try await req.audit(.importData, .supplier, detail: "API bulk upsert: \(created.count) created, \(matched.count) matched, \(changed) changed", on: db)
        }
        return .ok(.init(body: .json(.init(created: toCreate.count, updated: toUpdate.count))))
    }

    // MARK: Mapping

    static func supplier(_ s: Supplier) -> Components.Schemas.Supplier {
        .init(id: s.id!.uuidString, name: s.name, companyNumber: s.companyNumber, address: s.address,
              sectors: s.sectorList.compactMap { Components.Schemas.Sector(rawValue: $0.rawValue) },
              countriesOperation: s.operationCountries, countriesSourcing: s.sourcingCountries,
              turnoverBand: s.turnoverBand.flatMap(Components.Schemas.TurnoverBand.init(rawValue:)), parentCompany: s.parentCompany,
              statementUrl: s.statementURL, statementGaps: s.statementGaps, statementPeriodEnd: s.statementPeriodEnd, updatedAt: s.updatedAt)
    }

    static func form(_ input: Components.Schemas.SupplierInput) -> SuppliersController.Form {
        .init(name: input.name, company_number: input.companyNumber, address: input.address, sectors: input.sectors?.map(\.rawValue),
              countries_operation: input.countriesOperation?.joined(separator: "; "), countries_sourcing: input.countriesSourcing?.joined(separator: "; "),
              turnover_band: input.turnoverBand?.rawValue, parent_company: input.parentCompany, statement_url: input.statementUrl)
    }
}

/// A supplier as the list gives it, read from its row without building a model.
extension Components.Schemas.Supplier: APIListItem {
    static let keyColumn = "name_key"
    static let columnNames = ["id", "name", "name_key", "company_number", "address", "sectors", "countries_operation", "countries_sourcing",
                              "turnover_band", "parent_company", "statement_url", "statement_gaps", "statement_period_end", "updated_at"]

    init(row: any SQLRow) throws {
        self.init(id: try row.decode(column: "id", as: UUID.self).uuidString, name: try row.decode(column: "name", as: String.self),
                  companyNumber: try row.decode(column: "company_number", as: String?.self),
                  address: try row.decode(column: "address", as: String?.self),
                  sectors: Supplier.sectors(try row.decode(column: "sectors", as: String.self)).compactMap { .init(rawValue: $0.rawValue) },
                  countriesOperation: Supplier.countries(try row.decode(column: "countries_operation", as: String.self)),
                  countriesSourcing: Supplier.countries(try row.decode(column: "countries_sourcing", as: String.self)),
                  turnoverBand: try row.decode(column: "turnover_band", as: String?.self).flatMap(Components.Schemas.TurnoverBand.init(rawValue:)),
                  parentCompany: try row.decode(column: "parent_company", as: String?.self),
                  statementUrl: try row.decode(column: "statement_url", as: String?.self),
                  statementGaps: try row.decode(column: "statement_gaps", as: Int?.self),
                  statementPeriodEnd: try row.decode(column: "statement_period_end", as: String?.self),
                  updatedAt: try row.decode(column: "updated_at", as: Date?.self))
    }
}
