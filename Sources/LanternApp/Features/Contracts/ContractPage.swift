import Fluent
import Foundation
import LanternCore
import Vapor

/// One contract's page: its terms, its risk assessment and what that level requires, the
/// annual reviews, the risk register, the action plan with sanctions, and the KPIs. Every
/// form on it posts back here and, when refused, returns with the errors and what was typed.
struct ContractPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.viewContracts).get("contracts", ":contractID", use: show)
    }

    static func find(_ req: Request) async throws -> Contract {
        guard let id = req.parameters.get("contractID").flatMap(UUID.init(uuidString:)),
              let contract = try await Contract.find(id, on: req.db) else { throw LanternError.notFound }
        return contract
    }

    typealias Typed = TypedForm

    struct Detail: Encodable { let label: String; let value: String }
    struct Assessment: Encodable {
        let id: String
        let level: String
        let levelLabel: String
        let score: Int
        let modelLevel: String
        let overridden: Bool
        let rationale: String
        let approver: String
        let assessor: String
        let at: String
        let reasons: [String]
        let components: [Component]
    }
    struct Component: Encodable { let name: String; let points: Int; let reason: String }
    struct Requirement: Encodable { let stage: String; let requirement: String }
    struct ReviewRow: Encodable { let on: String; let reviewer: String; let outcome: String; let checks: String; let notes: String; let next: String }
    struct RiskRow: Encodable {
        let id: String; let characteristic: String; let description: String; let likelihood: Int; let impact: Int
        let rating: String; let ratingLabel: String; let owner: String; let mitigation: String; let treatment: String
        let reviewDate: String; let reviewOverdue: Bool; let status: String
    }
    struct ActionRow: Encodable {
        let id: String; let step: String; let description: String; let owner: String; let due: String; let overdue: Bool
        let status: String; let approver: String; let decisionDate: String; let evidence: String; let outcome: String; let completedOn: String
        let outcomeError: String
    }
    struct KPIRow: Encodable { let id: String; let name: String; let target: String; let unit: String; let values: [KPIValueRow] }
    struct KPIValueRow: Encodable { let period: String; let value: String; let note: String }

    struct View: Encodable {
        let id: String
        let title: String
        let supplier: String
        let supplierID: String
        let status: String
        let details: [Detail]
        let warnings: [String]
        let canEdit: Bool
        let assessment: Assessment?
        let history: [Assessment]
        let requirements: [Requirement]
        let reviewStatus: String
        let reviewLabel: String
        let nextReview: String
        let reviewReasons: String
        let reviews: [ReviewRow]
        let outcomes: [SelectOption]
        let risks: [RiskRow]
        let characteristics: [SelectOption]
        let treatments: [SelectOption]
        let likelihoods: [SelectOption]
        let impacts: [SelectOption]
        let actions: [ActionRow]
        let steps: [SelectOption]
        let kpis: [KPIRow]
        let kpiOptions: [SelectOption]
        let typed: Typed
        /// The refused form's errors, where the page's error summary looks for them.
        let errors: FormErrors
    }

    static func assessmentView(_ record: RiskAssessmentRecord) -> Assessment {
        let result = try? JSONDecoder().decode(RiskResult.self, from: record.result)
        let level = RiskLevel(rawValue: record.level) ?? .low
        return Assessment(
            id: record.id!.uuidString, level: level.rawValue, levelLabel: level.label, score: record.score,
            modelLevel: result?.level.label ?? "", overridden: record.overrideLevel != nil, rationale: record.rationale,
            approver: record.approver ?? "", assessor: record.assessorName, at: DisplayDate.dateTime(record.assessedAt),
            reasons: result?.reasons ?? [], components: result?.components.map { Component(name: $0.name, points: $0.points, reason: $0.reason) } ?? [])
    }

    /// The checks the domain notes ask for before the statement is signed off (suppliers.md §7).
    static func warnings(_ c: Contract, supplier: Supplier, kpiCount: Int, overdueActions: Int, today: Day) -> [String] {
        var warnings: [String] = []
        if c.status == .active {
            if c.level == nil { warnings.append("The modern slavery risk has not been assessed.") }
            if c.level == .high, let assessed = c.assessedOn.flatMap(Day.init(parsing:)), assessed.adding(months: 12) < today {
                warnings.append("High risk, and not assessed in the last 12 months (last assessed \(assessed.long)).")
            }
            if c.reviewStatus(today: today) == .overdue {
                warnings.append("The annual supplier assessment is overdue\(c.nextReview.map { " (due \($0.long))" } ?? "").")
            }
            if c.level == .high && (!c.clausesIncluded || kpiCount == 0) {
                warnings.append("High risk, but the contract has \(c.clausesIncluded ? "" : "no modern slavery clauses")\(!c.clausesIncluded && kpiCount == 0 ? " and " : "")\(kpiCount == 0 ? "no KPIs" : "").")
            }
            if overdueActions > 0 { warnings.append("\(overdueActions) action\(overdueActions == 1 ? " is" : "s are") past its due date.") }
            if let shortfall = KPIRules.shortfall(regime: c.procurementRegime, value: c.value, kpiCount: kpiCount) { warnings.append(shortfall + ".") }
            if c.statementRequired {
                switch supplier.statementStanding(today: today) {
                case .none: warnings.append("A modern slavery statement is required for this contract, and none has been checked for \(supplier.name).")
                case .gaps: warnings.append("A statement is required, and \(supplier.name)'s statement lacks \(supplier.statementGaps ?? 0) UK criteria.")
                case .outOfDate: warnings.append("A statement is required, and \(supplier.name)'s statement is out of date.")
                case .complete: break
                }
            }
        }
        return warnings
    }

    func view(_ req: Request, _ c: Contract, typed: Typed = Typed()) async throws -> View {
        let id = c.id!
        let today = req.today
        let supplier = try await c.$supplier.get(on: req.db)
        let manager = try await c.$contractManager.get(on: req.db)
        let assessments = try await RiskAssessmentRecord.query(on: req.db).filter(\.$contract.$id == id).sort(\.$assessedAt, .descending).all()
        let reviews = try await ContractReview.query(on: req.db).filter(\.$contract.$id == id).sort(\.$reviewedOn, .descending).all()
        let risks = try await ContractRisk.query(on: req.db).filter(\.$contract.$id == id).sort(\.$createdAt).all()
        let actions = try await ContractAction.query(on: req.db).filter(\.$contract.$id == id).sort(\.$dueDate).all()
        let kpis = try await ContractKPI.query(on: req.db).filter(\.$contract.$id == id).with(\.$values).sort(\.$name).all()
        let overdueActions = actions.filter { $0.status == .open && (Day(parsing: $0.dueDate).map { $0 < today } ?? false) }.count
        let policy = try await req.organisation()?.procurementPolicy ?? ProcurementPolicy()
        let status = c.reviewStatus(today: today)
        let yesNo = { (b: Bool) in b ? "Yes" : "No" }
        let details: [Detail] = [
            .init(label: "Reference", value: c.reference ?? "None"),
            .init(label: "Category or commodity", value: c.category ?? "Not recorded"),
            .init(label: "Total value", value: c.value?.description ?? "Not recorded"),
            .init(label: "Annual value", value: c.annualValue?.description ?? "Not recorded"),
            .init(label: "Dates", value: "\(c.startDate.flatMap(Day.init(parsing:))?.long ?? "Start not recorded") to \(c.endDate.flatMap(Day.init(parsing:))?.long ?? "end not recorded")"),
            .init(label: "Contract manager", value: manager?.displayName ?? "Not assigned"),
            .init(label: "Procurement regime", value: c.procurementRegime.label),
            .init(label: "Business critical", value: yesNo(c.businessCritical)),
            .init(label: "High value", value: "\(yesNo(c.highValue)) (threshold \(policy.highValueThreshold))"),
            .init(label: "Modern slavery clauses", value: yesNo(c.clausesIncluded)),
            .init(label: "Statement required", value: "\(yesNo(c.statementRequired)) (contracts over \(policy.statementThreshold))"),
            .init(label: "Status", value: c.status.label),
        ]
        let current = assessments.first.map(Self.assessmentView)
        let openRiskValues = typed.section == "risk" ? typed.values : [:]
        return View(
            id: id.uuidString, title: c.title, supplier: supplier.name, supplierID: supplier.id!.uuidString, status: c.status.rawValue,
            details: details,
            warnings: Self.warnings(c, supplier: supplier, kpiCount: kpis.count, overdueActions: overdueActions, today: today),
            canEdit: req.currentUser?.can(.editContracts) ?? false,
            assessment: current, history: assessments.dropFirst().map(Self.assessmentView),
            requirements: c.level.map { RiskModel.requirements(for: $0).map { Requirement(stage: $0.stage, requirement: $0.requirement) } } ?? [],
            reviewStatus: status.rawValue, reviewLabel: ContractsController.reviewLabel(status), nextReview: c.nextReview?.long ?? "Not set",
            reviewReasons: policy.reviewReasons(value: c.value, riskLevel: c.level, businessCritical: c.businessCritical).joined(separator: "; "),
            reviews: reviews.map { r in
                ReviewRow(on: Day(parsing: r.reviewedOn)?.long ?? r.reviewedOn, reviewer: r.reviewerName,
                          outcome: ContractReview.outcomes.first { $0.0 == r.outcome }?.1 ?? r.outcome,
                          checks: [(r.supplyChainMapped, "supply chain mapped"), (r.financialChecks, "financial checks"),
                                   (r.policyAdherence, "policy adherence"), (r.meetingHeld, "contract meeting held")]
                            .filter(\.0).map(\.1).joined(separator: ", ").ifEmpty("None recorded"),
                          notes: r.notes, next: r.nextReviewDate.flatMap(Day.init(parsing:))?.long ?? "")
            },
            outcomes: ContractReview.outcomes.map { SelectOption(value: $0.0, label: $0.1, selected: typed.values["outcome"] == $0.0) },
            risks: risks.map { r in
                let rating = RegisterScale.rating(likelihood: r.likelihood, impact: r.impact)
                return RiskRow(id: r.id!.uuidString, characteristic: RiskCharacteristic(rawValue: r.characteristic)?.label ?? r.characteristic,
                               description: r.description, likelihood: r.likelihood, impact: r.impact, rating: rating.rawValue, ratingLabel: rating.label,
                               owner: r.owner, mitigation: r.mitigation, treatment: RiskTreatment(rawValue: r.treatment)?.label ?? r.treatment,
                               reviewDate: Day(parsing: r.reviewDate)?.long ?? r.reviewDate,
                               reviewOverdue: r.status == .open && (Day(parsing: r.reviewDate).map { $0 < today } ?? false), status: r.status.rawValue)
            },
            characteristics: RiskCharacteristic.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: openRiskValues["characteristic"] == $0.rawValue) },
            treatments: RiskTreatment.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: (openRiskValues["treatment"] ?? "mitigate") == $0.rawValue) },
            likelihoods: RegisterScale.range.map { SelectOption(value: String($0), label: String($0), selected: openRiskValues["likelihood"] == String($0)) },
            impacts: RegisterScale.range.map { SelectOption(value: String($0), label: String($0), selected: openRiskValues["impact"] == String($0)) },
            actions: actions.map { a in
                ActionRow(id: a.id!.uuidString, step: a.escalationStep.label, description: a.description, owner: a.owner,
                          due: Day(parsing: a.dueDate)?.long ?? a.dueDate,
                          overdue: a.status == .open && (Day(parsing: a.dueDate).map { $0 < today } ?? false),
                          status: a.status.rawValue, approver: a.approver ?? "", decisionDate: a.decisionDate.flatMap(Day.init(parsing:))?.long ?? "",
                          evidence: a.evidence, outcome: a.outcome, completedOn: a.completedOn.flatMap(Day.init(parsing:))?.long ?? "",
                          outcomeError: typed.errors.byField["outcome-\(a.id!.uuidString)"] ?? "")
            },
            steps: EscalationStep.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: (typed.section == "action" ? typed.values["step"] : nil) == $0.rawValue) },
            kpis: kpis.map { k in
                KPIRow(id: k.id!.uuidString, name: k.name, target: k.target, unit: k.unit,
                       values: k.values.sorted { $0.period > $1.period }.map { KPIValueRow(period: $0.period, value: ContractPage.number($0.value), note: $0.note) })
            },
            kpiOptions: kpis.map { SelectOption(value: $0.id!.uuidString, label: $0.name, selected: typed.values["kpi"] == $0.id!.uuidString) },
            typed: typed, errors: typed.errors)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: "%.2f", value)
    }

    func show(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        return try await req.render("Contracts/show", try await view(req, contract), title: contract.title)
    }

    static func refuse(_ req: Request, _ contract: Contract, _ typed: Typed) async throws -> Response {
        try await req.render("Contracts/show", try await ContractPage().view(req, contract, typed: typed), title: contract.title, status: .unprocessableEntity)
    }
}
