import Fluent
import Foundation
import LanternAPI
import LanternCore
import SQLKit
import Vapor

/// Contracts over the API, checked by the contract form's own rules, and their PPN 02/23 risk.
extension LanternAPIService {
    func listContracts(_ input: Operations.ListContracts.Input) async throws -> Operations.ListContracts.Output {
        let req = try await request(requiring: .viewContracts)
        let q = try checked(input.query.q, "q", max: 200)
        let limit = try APIPage.limit(input.query.limit)
        let cursor = try APICursor.read(try checked(input.query.cursor, "cursor", max: 200))
        let query = Contract.query(on: req.db)
        if !q.isEmpty {
            let key = OrganisationName.key(q)
            query.group(.or) { $0.filter(\.$titleKey, .custom("LIKE"), "%\(key)%").filter(\.$reference == q.trimmingCharacters(in: .whitespaces)) }
        }
        if let raw = input.query.supplierId {
            guard let supplier = UUID(uuidString: raw) else {
                throw APIProblem(.badRequest, title: "A parameter cannot be used", errors: [.init(field: "supplier_id", detail: "not an id")])
            }
            query.filter(\.$supplier.$id == supplier)
        }
        if let level = input.query.riskLevel { query.filter(\.$riskLevel == level.rawValue) }
        if let status = input.query.status { query.filter(\.$status == ContractStatus(rawValue: status.rawValue) ?? .active) }
        let rows = try await query.page(after: cursor, by: \.$titleKey, limit: limit).plainRows(APIListed<Components.Schemas.Contract>.self)
        let (page, next) = APICursor.split(rows, limit: limit) { ($0.key, $0.id) }
        return .ok(.init(body: .json(.init(items: page.map(\.item), nextCursor: next))))
    }

    func getContract(_ input: Operations.GetContract.Input) async throws -> Operations.GetContract.Output {
        let req = try await request(requiring: .viewContracts)
        guard let contract = try await Contract.find(try id(input.path.contractId), on: req.db) else { throw APIProblem.notFound }
        return .ok(.init(body: .json(Self.contract(contract))))
    }

    func createContract(_ input: Operations.CreateContract.Input) async throws -> Operations.CreateContract.Output {
        let req = try await request(requiring: .editContracts)
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType) }
        var form = ContractsController.Form()
        try await Self.fill(&form, body.changes, req: req)
        let contract = Contract(title: "", supplierID: UUID())
        let errors = try await ContractsController().validate(form, into: contract, req: req)
        guard errors.isEmpty else { throw APIProblem.invalid(Self.supplierField(errors, body.changes)) }
        try await req.write(contract, .create, .contract, detail: "API")
        return .created(.init(body: .json(Self.contract(contract))))
    }

    func updateContract(_ input: Operations.UpdateContract.Input) async throws -> Operations.UpdateContract.Output {
        let req = try await request(requiring: .editContracts)
        guard case .json(let changes) = input.body else { throw APIProblem(.unsupportedMediaType) }
        guard let contract = try await Contract.find(try id(input.path.contractId), on: req.db) else { throw APIProblem.notFound }
        let supplier = try await contract.$supplier.get(on: req.db)
        var form = ContractsController.form(from: contract, supplierName: supplier.companyNumber ?? supplier.name)
        try await Self.fill(&form, changes, req: req)
        let errors = try await ContractsController().validate(form, into: contract, req: req)
        guard errors.isEmpty else { throw APIProblem.invalid(Self.supplierField(errors, changes)) }
        try await req.write(contract, .update, .contract, detail: "API")
        return .ok(.init(body: .json(Self.contract(contract))))
    }

    /// All or nothing, matched by the supplier's company number and the contract's reference.
    /// The register is read once for every row (`ContractsController.Preloaded`).
    func upsertContracts(_ input: Operations.UpsertContracts.Input) async throws -> Operations.UpsertContracts.Output {
        let req = try await request(requiring: .editContracts)
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType) }
        let items = body.contracts
        guard items.count <= 10_000 else {
            throw APIProblem(.unprocessableEntity, title: "Too many contracts", "Send at most 10,000 contracts in one call.", errors: [.init(field: "/contracts", detail: "has \(items.count) items")])
        }
        var problems: [APIProblem.FieldError] = []
        var keys: [(number: String, reference: String)?] = []
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let number = CompanyNumber.normalise((item.supplierCompanyNumber ?? "").trimmingCharacters(in: .whitespaces))
            let reference = (item.reference ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if number == nil {
                problems.append(.init(field: "/contracts/\(index)/supplier_company_number", detail: "A bulk upsert finds the supplier by its company number (8 characters): give one"))
            }
            if reference.isEmpty {
                problems.append(.init(field: "/contracts/\(index)/reference", detail: "A bulk upsert matches contracts by reference: give one"))
            }
            guard let number, !reference.isEmpty else { keys.append(nil); continue }
            let key = number + "|" + reference
            if let earlier = seen[key] { problems.append(.init(field: "/contracts/\(index)/reference", detail: "\(reference) for \(number) is also at /contracts/\(earlier)")) }
            seen[key] = index
            keys.append((number, reference))
        }
        var suppliers: [String: Supplier] = [:]
        for chunk in Set(keys.compactMap { $0?.number }).sorted().chunked(500) {
            for supplier in try await Supplier.query(on: req.db).filter(\.$companyNumber ~~ Array(chunk)).decodedRows() { suppliers[supplier.companyNumber!] = supplier }
        }
        var existing: [String: Contract] = [:]
        let supplierNumbers = Dictionary(suppliers.values.map { ($0.id!, $0.companyNumber!) }, uniquingKeysWith: { a, _ in a })
        for chunk in Set(keys.compactMap { $0?.reference }).sorted().chunked(500) {
            for contract in try await Contract.query(on: req.db).filter(\.$reference ~~ Array(chunk)).decodedRows() {
                if let number = supplierNumbers[contract.$supplier.id], let reference = contract.reference { existing[number + "|" + reference] = contract }
            }
        }
        let preloaded = ContractsController.Preloaded(suppliersByNumber: suppliers, policy: try await req.organisation()?.procurementPolicy ?? ProcurementPolicy())
        let checker = ContractsController()
        var toCreate: [Contract] = [], toUpdate: [Contract] = []
        for (index, item) in items.enumerated() {
            guard let key = keys[index] else { continue }
            let match = existing[key.number + "|" + key.reference]
            var form = ContractsController.Form()
            if let match { form = ContractsController.form(from: match, supplierName: key.number) }
            form.supplier = key.number
            Self.fillFields(&form, item.changes)
            let contract = match ?? Contract(title: "", supplierID: UUID())
            let errors = try await checker.validate(form, into: contract, req: req, preloaded: preloaded)
            problems += errors.items.map {
                .init(field: "/contracts/\(index)/\($0.field == "supplier" ? "supplier_company_number" : $0.field)",
                      detail: $0.field == "supplier" ? "No supplier is registered with company number \(key.number); add the supplier first" : $0.message)
            }
            if match == nil { toCreate.append(contract) } else { toUpdate.append(contract) }
        }
        guard problems.isEmpty else {
            throw APIProblem(.unprocessableEntity, title: "The request has wrong fields", "Nothing was saved.", errors: problems)
        }
        let now = req.lantern.now()
        for contract in toCreate { contract.id = UUID(); contract.createdAt = now; contract.updatedAt = now }
        let (created, matched) = (toCreate, toUpdate)
        for contract in matched { contract.updatedAt = now }
        try await req.db.writeTransaction { db in
            for chunk in created.chunked(200) { try await Array(chunk).create(on: db) }
            var changed = 0
            for contract in matched where try await contract.updateChanges(on: db) { changed += 1 }
            try await req.audit(.importData, .contract, detail: "API bulk upsert: \(created.count) created, \(matched.count) matched, \(changed) changed", on: db)
        }
        return .ok(.init(body: .json(.init(created: toCreate.count, updated: toUpdate.count))))
    }

    func getContractRisk(_ input: Operations.GetContractRisk.Input) async throws -> Operations.GetContractRisk.Output {
        let req = try await request(requiring: .viewContracts)
        guard let contract = try await Contract.find(try id(input.path.contractId), on: req.db) else { throw APIProblem.notFound }
        let records = try await RiskAssessmentRecord.query(on: req.db).filter(\.$contract.$id == contract.id!)
            .sort(\.$assessedAt, .descending).sort(\.$id).all()
        let decoder = JSONDecoder()
        let assessments: [Components.Schemas.Assessment] = records.compactMap { record in
            guard let result = try? decoder.decode(RiskResult.self, from: record.result),
                  let level = Components.Schemas.RiskLevel(rawValue: record.level),
                  let model = Components.Schemas.RiskLevel(rawValue: result.level.rawValue) else { return nil }
            return .init(id: record.id!.uuidString, assessedAt: record.assessedAt, assessor: record.assessorName, score: record.score,
                         level: level, modelLevel: model, overrideRationale: record.overrideLevel == nil ? nil : record.rationale,
                         reasons: result.reasons, components: result.components.map { .init(name: $0.name, points: $0.points, reason: $0.reason) })
        }
        let policy = try await req.organisation()?.procurementPolicy ?? ProcurementPolicy()
        let reviewReasons = policy.reviewReasons(value: contract.value, riskLevel: contract.level, businessCritical: contract.businessCritical)
        return .ok(.init(body: .json(.init(contractId: contract.id!.uuidString, level: contract.level.flatMap { .init(rawValue: $0.rawValue) },
                                           score: contract.riskScore, reasons: assessments.first?.reasons, reviewReasons: reviewReasons.map { "\($0)" },
                                           assessments: assessments))))
    }

    // MARK: Mapping

    static func contract(_ c: Contract) -> Components.Schemas.Contract {
        .init(id: c.id!.uuidString, title: c.title, reference: c.reference, supplierId: c.$supplier.id.uuidString, category: c.category,
              value: c.value?.plain, annualValue: c.annualValue?.plain, startDate: c.startDate, endDate: c.endDate,
              procurementStarted: c.procurementStarted, businessCritical: c.businessCritical, clausesIncluded: c.clausesIncluded,
              regime: Components.Schemas.Regime(rawValue: c.regime) ?? .ppn0223, status: .init(rawValue: c.status.rawValue) ?? .active,
              highValue: c.highValue, needsReview: c.needsReview, riskLevel: c.riskLevel.flatMap(Components.Schemas.RiskLevel.init(rawValue:)),
              riskScore: c.riskScore, assessedOn: c.assessedOn, nextReviewDate: c.nextReviewDate, updatedAt: c.updatedAt)
    }

    /// The fields given, copied onto the form; the supplier by id is turned into the form's
    /// "name or company number".
    static func fill(_ form: inout ContractsController.Form, _ changes: Components.Schemas.ContractChanges, req: Request) async throws {
        if let raw = changes.supplierId {
            guard let id = UUID(uuidString: raw), let supplier = try await Supplier.find(id, on: req.db) else {
                throw APIProblem(.unprocessableEntity, title: "The request has wrong fields", "Nothing was saved.",
                                 errors: [.init(field: "/supplier_id", detail: "No supplier has this id")])
            }
            form.supplier = supplier.companyNumber ?? supplier.name
        } else if let number = changes.supplierCompanyNumber {
            form.supplier = number
        }
        fillFields(&form, changes)
    }

    static func fillFields(_ form: inout ContractsController.Form, _ changes: Components.Schemas.ContractChanges) {
        if let v = changes.title { form.title = v }
        if let v = changes.reference { form.reference = v }
        if let v = changes.category { form.category = v }
        if let v = changes.value { form.value = v }
        if let v = changes.annualValue { form.annual_value = v }
        if let v = changes.startDate { form.start_date = v }
        if let v = changes.endDate { form.end_date = v }
        if let v = changes.procurementStarted { form.procurement_started = v }
        if let v = changes.businessCritical { form.business_critical = v ? "yes" : "no" }
        if let v = changes.clausesIncluded { form.clauses_included = v ? "yes" : "no" }
        if let v = changes.regime { form.regime = v.rawValue }
        if let v = changes.status { form.status = v.rawValue }
    }

    /// The form's "supplier" field, named as the caller gave it.
    static func supplierField(_ errors: FormErrors, _ changes: Components.Schemas.ContractChanges) -> FormErrors {
        let name = changes.supplierId != nil ? "supplier_id" : "supplier_company_number"
        return FormErrors(errors.items.map { (field: $0.field == "supplier" ? name : $0.field, message: $0.message) })
    }
}

extension Components.Schemas.ContractInput {
    /// The input as changes to an empty contract.
    var changes: Components.Schemas.ContractChanges {
        .init(title: title, reference: reference, supplierId: supplierId, supplierCompanyNumber: supplierCompanyNumber, category: category,
              value: value, annualValue: annualValue, startDate: startDate, endDate: endDate, procurementStarted: procurementStarted,
              businessCritical: businessCritical, clausesIncluded: clausesIncluded, regime: regime, status: status)
    }
}

/// A contract as the list gives it, read from its row without building a model.
extension Components.Schemas.Contract: APIListItem {
    static let keyColumn = "title_key"
    static let columnNames = ["id", "title", "title_key", "reference", "supplier_id", "category", "value_pence", "annual_value_pence",
                              "start_date", "end_date", "procurement_started", "business_critical", "clauses_included", "regime", "status",
                              "high_value", "needs_review", "risk_level", "risk_score", "assessed_on", "next_review_date", "updated_at"]

    init(row: any SQLRow) throws {
        self.init(id: try row.decode(column: "id", as: UUID.self).uuidString, title: try row.decode(column: "title", as: String.self),
                  reference: try row.decode(column: "reference", as: String?.self),
                  supplierId: try row.decode(column: "supplier_id", as: UUID.self).uuidString,
                  category: try row.decode(column: "category", as: String?.self),
                  value: try row.decode(column: "value_pence", as: Int?.self).map { Money(pence: $0).plain },
                  annualValue: try row.decode(column: "annual_value_pence", as: Int?.self).map { Money(pence: $0).plain },
                  startDate: try row.decode(column: "start_date", as: String?.self),
                  endDate: try row.decode(column: "end_date", as: String?.self),
                  procurementStarted: try row.decode(column: "procurement_started", as: String?.self),
                  businessCritical: try row.decode(column: "business_critical", as: Bool.self),
                  clausesIncluded: try row.decode(column: "clauses_included", as: Bool.self),
                  regime: Components.Schemas.Regime(rawValue: try row.decode(column: "regime", as: String.self)) ?? .ppn0223,
                  status: .init(rawValue: try row.decode(column: "status", as: String.self)) ?? .active,
                  highValue: try row.decode(column: "high_value", as: Bool.self),
                  needsReview: try row.decode(column: "needs_review", as: Bool.self),
                  riskLevel: try row.decode(column: "risk_level", as: String?.self).flatMap(Components.Schemas.RiskLevel.init(rawValue:)),
                  riskScore: try row.decode(column: "risk_score", as: Int?.self),
                  assessedOn: try row.decode(column: "assessed_on", as: String?.self),
                  nextReviewDate: try row.decode(column: "next_review_date", as: String?.self),
                  updatedAt: try row.decode(column: "updated_at", as: Date?.self))
    }
}
