import Fluent
import Foundation
import LanternCore
import Vapor

/// The PPN 02/23 risk assessment form: the six characteristics with guidance, prefilled from
/// the supplier (sectors, countries) and the goods list (the contract's category), scored by
/// ``RiskModel``. An assessor may set a different level only with a rationale and an approver.
struct RiskAssessmentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let edit = routes.requiring(.editContracts).grouped("contracts", ":contractID", "assess")
        edit.get(use: form)
        edit.post(use: save)
    }

    struct Choice: Encodable { let value: String; let label: String; let checked: Bool }
    struct Characteristic: Encodable { let id: String; let label: String; let guidance: String }

    struct View: Encodable {
        let id: String
        let title: String
        let supplier: String
        let characteristics: [Characteristic]
        let sectors: [Choice]
        let countries: String
        let goods: String
        let suggestedGoods: String
        let goodsLoaded: Bool
        let workforce: [Choice]
        let context: [Choice]
        let businessModel: [Choice]
        let mitigations: [Choice]
        let circuitBreakers: [Choice]
        let levels: [SelectOption]
        let rationale: String
        let approver: String
        let thresholds: String
        let errors: FormErrors
    }

    struct Form: Content {
        var sectors: [String]?
        var countries: String?
        var goods: String?
        var workforce: [String]?
        var context: [String]?
        var business_model: [String]?
        var mitigations: [String]?
        var circuit_breakers: [String]?
        var override_level: String?
        var rationale: String?
        var approver: String?
    }

    private func choices<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ label: (T) -> String, chosen: [String]) -> [Choice] where T.RawValue == String {
        T.allCases.map { Choice(value: $0.rawValue, label: label($0), checked: chosen.contains($0.rawValue)) }
    }

    private func view(_ req: Request, _ contract: Contract, form: Form, errors: FormErrors = FormErrors()) async throws -> View {
        let supplier = try await contract.$supplier.get(on: req.db)
        let index = try await GoodsReference.index(req.application)
        let policy = try await req.organisation()?.procurementPolicy ?? ProcurementPolicy()
        let suggested = index.goods(mentionedIn: [contract.category ?? "", contract.title].joined(separator: " "))
        return View(
            id: contract.id!.uuidString, title: contract.title, supplier: supplier.name,
            characteristics: RiskCharacteristic.allCases.map { Characteristic(id: $0.rawValue, label: $0.label, guidance: $0.guidance) },
            sectors: Sector.allCases.sorted { $0.label < $1.label }.map { Choice(value: $0.rawValue, label: "\($0.label) (band \($0.band))", checked: (form.sectors ?? []).contains($0.rawValue)) },
            countries: form.countries ?? "", goods: form.goods ?? "", suggestedGoods: suggested.joined(separator: ", "),
            goodsLoaded: !index.pairs.isEmpty,
            workforce: choices(WorkforceTrait.self, \.label, chosen: form.workforce ?? []),
            context: choices(ContextTrait.self, \.label, chosen: form.context ?? []),
            businessModel: choices(BusinessModelTrait.self, \.label, chosen: form.business_model ?? []),
            mitigations: choices(Mitigation.self, \.label, chosen: form.mitigations ?? []),
            circuitBreakers: choices(CircuitBreaker.self, \.label, chosen: form.circuit_breakers ?? []),
            levels: [SelectOption(value: "", label: "No: use the model's level", selected: (form.override_level ?? "").isEmpty)]
                + RiskLevel.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: form.override_level == $0.rawValue) },
            rationale: form.rationale ?? "", approver: form.approver ?? "",
            thresholds: "Medium from a score of \(policy.risk.mediumFrom), high from \(policy.risk.highFrom).", errors: errors)
    }

    /// The last assessment's answers, or what Lantern knows of the supplier and contract.
    private func prefill(_ req: Request, _ contract: Contract) async throws -> Form {
        if let last = try await RiskAssessmentRecord.query(on: req.db).filter(\.$contract.$id == contract.id!).sort(\.$assessedAt, .descending).first(),
           let answers = try? JSONDecoder().decode(RiskAnswers.self, from: last.answers) {
            return Form(sectors: answers.sectors.map(\.rawValue), countries: answers.countries.joined(separator: "; "), goods: answers.goods.joined(separator: "; "),
                        workforce: answers.workforce.map(\.rawValue), context: answers.context.map(\.rawValue), business_model: answers.businessModel.map(\.rawValue),
                        mitigations: answers.mitigations.map(\.rawValue), circuit_breakers: answers.circuitBreakers.map(\.rawValue))
        }
        let supplier = try await contract.$supplier.get(on: req.db)
        let index = try await GoodsReference.index(req.application)
        let countries = supplier.operationCountries + supplier.sourcingCountries.filter { !supplier.operationCountries.contains($0) }
        let goods = index.goods(mentionedIn: [contract.category ?? "", contract.title].joined(separator: " "))
        return Form(sectors: supplier.sectorList.map(\.rawValue), countries: countries.joined(separator: "; "), goods: goods.joined(separator: "; "))
    }

    func form(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        return try await req.render("Contracts/assess", try await view(req, contract, form: try await prefill(req, contract)),
                                    title: "Assess modern slavery risk")
    }

    func save(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        let form = try req.form(Form.self)
        var errors = FormErrors()
        func parse<T: RawRepresentable>(_ values: [String]?, _ field: String) -> [T] where T.RawValue == String {
            let parsed = (values ?? []).compactMap(T.init(rawValue:))
            if parsed.count != (values ?? []).count { errors.add(field, "Choose from the options listed") }
            return parsed
        }
        let sectors: [Sector] = parse(form.sectors, "sectors")
        let countries = Supplier.countries(form.countries ?? "")
        if countries.contains(where: { $0.count > 80 }) || countries.count > 50 { errors.add("countries", "List at most 50 countries, each under 80 characters") }
        let goods = Supplier.countries((form.goods ?? "").replacingOccurrences(of: ",", with: ";"))
        if goods.contains(where: { $0.count > 100 }) || goods.count > 50 { errors.add("goods", "List at most 50 goods, each under 100 characters") }
        let answers = RiskAnswers(sectors: sectors, countries: countries, goods: goods, workforce: parse(form.workforce, "workforce"),
                                  context: parse(form.context, "context"), businessModel: parse(form.business_model, "business_model"),
                                  mitigations: parse(form.mitigations, "mitigations"), circuitBreakers: parse(form.circuit_breakers, "circuit_breakers"))
        let rationale = (form.rationale ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let approver = (form.approver ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var override: RiskLevel?
        if let raw = form.override_level, !raw.isEmpty {
            override = RiskLevel(rawValue: raw)
            if override == nil { errors.add("override_level", "Choose a level from the list") }
            if rationale.isEmpty { errors.add("rationale", "Explain why the level differs from the model's") }
            if approver.isEmpty { errors.add("approver", "Enter who approved the different level") }
        }
        if rationale.count > 4000 { errors.add("rationale", "The rationale must be 4,000 characters or fewer") }
        if approver.count > 200 { errors.add("approver", "The approver's name must be 200 characters or fewer") }
        guard errors.isEmpty else {
            return try await req.render("Contracts/assess", try await view(req, contract, form: form, errors: errors),
                                        title: "Assess modern slavery risk", status: .unprocessableEntity)
        }
        let index = try await GoodsReference.index(req.application)
        let policy = try await Organisation.current(on: req.db)?.procurementPolicy ?? ProcurementPolicy()
        let result = RiskModel.assess(answers, goods: index, thresholds: policy.risk)
        let level = override ?? result.level
        let record = RiskAssessmentRecord()
        record.$contract.id = contract.id!
        record.answers = try JSONEncoder().encode(answers)
        record.result = try JSONEncoder().encode(result)
        record.score = result.score
        record.level = level.rawValue
        record.overrideLevel = override?.rawValue
        record.rationale = rationale
        record.approver = approver.isEmpty ? nil : approver
        record.assessedBy = req.currentUser?.id
        record.assessorName = req.currentUser?.displayName ?? ""
        record.assessedAt = req.lantern.now()
        contract.riskLevel = level.rawValue
        contract.riskScore = result.score
        contract.assessedOn = req.today.iso
        contract.applyPolicy(policy)
        if contract.needsReview, contract.nextReviewDate == nil {
            contract.nextReviewDate = ReviewSchedule.nextDue(lastReview: contract.lastReviewDate.flatMap(Day.init(parsing:)),
                                                             contractStart: contract.startDate.flatMap(Day.init(parsing:)), today: req.today).iso
        }
        let detail = "\(level.rawValue), score \(result.score)\(override != nil ? ", level set by assessor" : "")"
        try await req.db.writeTransaction { db in
            try await record.create(on: db)
            try await contract.save(on: db)
            try await req.audit(.assess, .contract, id: contract.id?.uuidString, detail: detail, on: db)
        }
        return req.redirect(to: "/contracts/\(contract.id!.uuidString)#risk", saying: "Assessed as \(level.label.lowercased()) risk (score \(result.score)).")
    }
}
