import Fluent
import Foundation
import LanternCore
import Vapor

/// A small, believable supplier base for the demo council: suppliers in high- and low-risk
/// sectors, contracts assessed at each level, one annual review overdue, and an open action.
enum ProcurementDemoData {
    struct DemoSupplier {
        let name: String, number: String, sectors: [Sector], countries: [String], turnover: TurnoverBand
    }

    static let suppliers: [DemoSupplier] = [
        .init(name: "Brightway Facilities Services Ltd", number: "04512873", sectors: [.cleaningSecurity], countries: ["United Kingdom"], turnover: .from100to500m),
        .init(name: "Meadow Fresh Catering Ltd", number: "07781234", sectors: [.hospitality, .foodBeverages], countries: ["United Kingdom"], turnover: .under36m),
        .init(name: "Northgate Workwear Supplies Ltd", number: "09123456", sectors: [.textiles, .retail], countries: ["United Kingdom", "Bangladesh", "China"], turnover: .from36to60m),
        .init(name: "Civic Digital Partners LLP", number: "OC412345", sectors: [.itTelecoms, .professional], countries: ["United Kingdom"], turnover: .under36m),
        .init(name: "Harbour Construction Group plc", number: "02345678", sectors: [.construction], countries: ["United Kingdom", "Poland"], turnover: .over500m),
        .init(name: "Carefield Homecare Ltd", number: "SC512345", sectors: [.healthSocialCare], countries: ["United Kingdom"], turnover: .from36to60m),
    ]

    static func seed(on db: any Database, goods: GoodsIndex, assessor: User?, now: Date) async throws {
        let today = Day(now)
        var ids: [String: UUID] = [:]
        for demo in suppliers {
            let supplier = Supplier(name: demo.name, companyNumber: demo.number, sectors: demo.sectors, countriesOfOperation: demo.countries, turnover: demo.turnover)
            if demo.turnover.meetsSection54Threshold {
                supplier.sqRelevant = "yes"
                supplier.sqCompliant = "yes"
                supplier.sqStatementURL = "https://www.example.com/\(demo.number)/modern-slavery-statement"
                supplier.sqAnsweredOn = today.adding(months: -8).iso
            } else {
                supplier.sqRelevant = "not_applicable"
                supplier.sqAnsweredOn = today.adding(months: -5).iso
            }
            supplier.declarationNotInvolved = true
            supplier.declarationNotInvestigated = true
            supplier.declarationSignedBy = "Company Secretary"
            supplier.declarationSignedOn = today.adding(months: -3).iso
            try await supplier.create(on: db)
            ids[demo.name] = supplier.id
        }
        let policy = ProcurementPolicy()
        func contract(_ title: String, _ supplier: String, value: Int, category: String, start: Day, critical: Bool = false,
                      workforce: [WorkforceTrait] = [], businessModel: [BusinessModelTrait] = [], clauses: Bool = true) async throws -> Contract {
            let c = Contract(title: title, supplierID: ids[supplier]!, regime: ProcurementRegime.forProcurementStarted(on: start.adding(months: -6)))
            c.valuePence = Money(pounds: value).pence
            c.annualValuePence = Money(pounds: value / 3).pence
            c.category = category
            c.startDate = start.iso
            c.endDate = start.adding(months: 36).iso
            c.businessCritical = critical
            c.clausesIncluded = clauses
            c.$contractManager.id = assessor?.id
            let demo = suppliers.first { $0.name == supplier }!
            let answers = RiskAnswers(sectors: demo.sectors, countries: demo.countries, goods: goods.goods(mentionedIn: category),
                                      workforce: workforce, businessModel: businessModel)
            let result = RiskModel.assess(answers, goods: goods, thresholds: policy.risk)
            c.riskLevel = result.level.rawValue
            c.riskScore = result.score
            c.assessedOn = today.adding(months: -2).iso
            c.applyPolicy(policy)
            if c.needsReview { c.nextReviewDate = today.adding(months: 6).iso }
            try await c.create(on: db)
            let record = RiskAssessmentRecord()
            record.$contract.id = c.id!
            record.answers = try JSONEncoder().encode(answers)
            record.result = try JSONEncoder().encode(result)
            record.score = result.score
            record.level = result.level.rawValue
            record.rationale = ""
            record.assessedBy = assessor?.id
            record.assessorName = assessor?.displayName ?? "Lantern demo"
            record.assessedAt = today.adding(months: -2).noon
            try await record.create(on: db)
            return c
        }
        let cleaning = try await contract("Office and depot cleaning", "Brightway Facilities Services Ltd", value: 1_800_000, category: "Cleaning services",
                                          start: today.adding(months: -20), critical: true, workforce: [.agency, .migrant, .lowSkilled],
                                          businessModel: [.costPressure])
        // This one's annual review has slipped: it shows on the home pages and the dashboard.
        cleaning.nextReviewDate = today.adding(days: -21).iso
        try await cleaning.save(on: db)
        _ = try await contract("School meals", "Meadow Fresh Catering Ltd", value: 950_000, category: "Catering, coffee and tea",
                               start: today.adding(months: -8), workforce: [.seasonal, .temporary])
        let workwear = try await contract("Uniforms and PPE", "Northgate Workwear Supplies Ltd", value: 240_000, category: "Garments, gloves and footwear",
                                          start: today.adding(months: -3), businessModel: [.longSupplyChain], clauses: false)
        _ = try await contract("Case management system support", "Civic Digital Partners LLP", value: 180_000, category: "Software support",
                               start: today.adding(months: -14))
        _ = try await contract("Highways maintenance framework", "Harbour Construction Group plc", value: 12_000_000, category: "Construction and block paving",
                               start: today.adding(months: -2), critical: true, workforce: [.subcontractedLabour, .agency], businessModel: [.labourProviders])
        _ = try await contract("Domiciliary care, north locality", "Carefield Homecare Ltd", value: 3_400_000, category: "Home care",
                               start: today.adding(months: -11), critical: true, workforce: [.migrant, .lowSkilled])
        let action = ContractAction()
        action.$contract.id = workwear.id!
        action.step = EscalationStep.correctiveAction.rawValue
        action.description = "Map the garment supply chain to tier 2 and share factory names and audit reports"
        action.owner = assessor?.displayName ?? "Contract manager"
        action.dueDate = today.adding(days: 45).iso
        action.status = .open
        action.evidence = ""
        action.outcome = ""
        action.createdAt = today.adding(days: -10).noon
        try await action.create(on: db)
    }
}
