/// The PPN 02/23 risk assessment of a contract: the six Table 1 characteristics, scored with
/// Lantern's default model, giving low, medium or high with every component shown.
///
/// Sources: `shared/docs/domain/suppliers.md` §2 (six categories, what each level triggers)
/// and §6 (Lantern default: `inherent = countryBand(1–6) + sectorBand(1–4) + goodsBonus(0–2)`
/// capped at 10, adjusted for workforce, context and business model, credited for
/// mitigation, with circuit breakers that force a high result; thresholds are configuration).
public enum RiskLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case low, medium, high

    public var label: String { rawValue.capitalized }

    public static func < (lhs: RiskLevel, rhs: RiskLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The six Table 1 categories.
public enum RiskCharacteristic: String, CaseIterable, Codable, Sendable {
    case industry, workforce, location, context, commodity, businessModel = "business_model"

    public var label: String {
        switch self {
        case .industry: "Industry type"
        case .workforce: "Nature of the workforce"
        case .location: "Supplier location"
        case .context: "Operating context"
        case .commodity: "Commodity type"
        case .businessModel: "Business and supply chain model"
        }
    }

    /// The question an assessor answers, as guidance beside the form.
    public var guidance: String {
        switch self {
        case .industry: "Is the supplier in an industry with known forced labour, such as construction, cleaning, catering, security, agriculture, textiles or care?"
        case .workforce: "Does the work rely on low-skilled, agency, temporary, seasonal or migrant workers, or on heavy subcontracting of labour?"
        case .location: "Where does the supplier operate and source? Countries with listed goods made with forced or child labour raise the risk."
        case .context: "Is the work done where oversight is weak: remote or isolated sites, worker accommodation provided by the employer, conflict or weak rule of law?"
        case .commodity: "Are the goods on the ILAB list of goods made with child or forced labour (for example garments, electronics, cotton, PPE, polysilicon)?"
        case .businessModel: "Is the supply chain long or opaque, driven by lowest cost or short lead times, or reliant on labour providers?"
        }
    }
}

public enum WorkforceTrait: String, CaseIterable, Codable, Sendable {
    case lowSkilled = "low_skilled", agency, temporary, seasonal, migrant, subcontractedLabour = "subcontracted_labour"
    public var label: String {
        switch self {
        case .lowSkilled: "Low-skilled or low-paid work"
        case .agency: "Agency workers"
        case .temporary: "Temporary or zero-hours contracts"
        case .seasonal: "Seasonal peaks"
        case .migrant: "Migrant workers"
        case .subcontractedLabour: "Heavy subcontracting of labour"
        }
    }
}

public enum ContextTrait: String, CaseIterable, Codable, Sendable {
    case remoteSites = "remote_sites", accommodationProvided = "accommodation_provided"
    case weakRuleOfLaw = "weak_rule_of_law", conflictAffected = "conflict_affected"
    public var label: String {
        switch self {
        case .remoteSites: "Remote, isolated or night-time work"
        case .accommodationProvided: "Accommodation or transport provided by the employer"
        case .weakRuleOfLaw: "Weak rule of law or labour inspection"
        case .conflictAffected: "Conflict-affected or high-risk area"
        }
    }
}

public enum BusinessModelTrait: String, CaseIterable, Codable, Sendable {
    case longSupplyChain = "long_supply_chain", labourProviders = "labour_providers"
    case costPressure = "cost_pressure", shortLeadTimes = "short_lead_times"
    public var label: String {
        switch self {
        case .longSupplyChain: "Long, complex or unmapped supply chain"
        case .labourProviders: "Relies on labour providers or gangmasters"
        case .costPressure: "Lowest-cost pricing or strong cost pressure"
        case .shortLeadTimes: "Short lead times or volatile orders"
        }
    }
}

/// Evidence that lowers the residual risk (mitigation credit, suppliers.md §6 step 3).
public enum Mitigation: String, CaseIterable, Codable, Sendable {
    case msatLow = "msat_low", supplyChainMapped = "supply_chain_mapped"
    case independentAudit = "independent_audit", workerVoice = "worker_voice"
    public var label: String {
        switch self {
        case .msatLow: "MSAT completed with a low-risk result"
        case .supplyChainMapped: "Supply chain mapped beyond tier 1"
        case .independentAudit: "Independent (unannounced) audit in the last 12 months"
        case .workerVoice: "Working grievance mechanism or worker voice programme"
        }
    }
}

/// One bad answer means high risk, whatever the score (the "circuit breaker" approach).
public enum CircuitBreaker: String, CaseIterable, Codable, Sendable {
    case knownAllegation = "known_allegation", refusedDeclaration = "refused_declaration"
    case convicted, refusedAudit = "refused_audit"
    public var label: String {
        switch self {
        case .knownAllegation: "Credible allegation or finding of modern slavery in this supply chain"
        case .refusedDeclaration: "Supplier refused or qualified the modern slavery declaration"
        case .convicted: "Supplier or a supply chain member convicted of a modern slavery offence"
        case .refusedAudit: "Supplier refused access for audit"
        }
    }
}

/// What the assessor answered, prefilled from the supplier and contract where Lantern knows.
public struct RiskAnswers: Codable, Sendable, Equatable {
    public var sectors: [Sector]
    public var countries: [String]
    public var goods: [String]
    public var workforce: [WorkforceTrait]
    public var context: [ContextTrait]
    public var businessModel: [BusinessModelTrait]
    public var mitigations: [Mitigation]
    public var circuitBreakers: [CircuitBreaker]

    public init(sectors: [Sector] = [], countries: [String] = [], goods: [String] = [], workforce: [WorkforceTrait] = [],
                context: [ContextTrait] = [], businessModel: [BusinessModelTrait] = [], mitigations: [Mitigation] = [],
                circuitBreakers: [CircuitBreaker] = []) {
        self.sectors = sectors
        self.countries = countries
        self.goods = goods
        self.workforce = workforce
        self.context = context
        self.businessModel = businessModel
        self.mitigations = mitigations
        self.circuitBreakers = circuitBreakers
    }
}

/// Where the bands start. The authority decides (PPN 02/23 leaves the combinations to it),
/// so these are organisation settings with these defaults.
public struct RiskThresholds: Codable, Sendable, Equatable {
    public var mediumFrom: Int
    public var highFrom: Int

    public init(mediumFrom: Int = 5, highFrom: Int = 8) {
        self.mediumFrom = mediumFrom
        self.highFrom = highFrom
    }

    public var isValid: Bool { 1 <= mediumFrom && mediumFrom < highFrom && highFrom <= 13 }

    public func level(for score: Int) -> RiskLevel {
        score >= highFrom ? .high : score >= mediumFrom ? .medium : .low
    }
}

/// The outcome, with each part of the score and why.
public struct RiskResult: Codable, Sendable, Equatable {
    public struct Component: Codable, Sendable, Equatable {
        public let name: String
        public let points: Int
        public let reason: String
    }

    public let score: Int
    public let level: RiskLevel
    public let components: [Component]
    /// The Table 1 categories judged present; two or more call for a full assessment.
    public let characteristicsPresent: [RiskCharacteristic]
    public let circuitBreakers: [CircuitBreaker]
    /// Plain-language reasons, most important first.
    public let reasons: [String]

    public var needsFullAssessment: Bool { characteristicsPresent.count >= 2 }
}

public enum RiskModel {
    public static func assess(_ answers: RiskAnswers, goods index: GoodsIndex, thresholds: RiskThresholds = .init()) -> RiskResult {
        var components: [RiskResult.Component] = []
        var present: [RiskCharacteristic] = []

        let sector = answers.sectors.max(by: { $0.band < $1.band })
        let sectorBand = sector?.band ?? 1
        components.append(.init(name: "Industry", points: sectorBand,
                                reason: sector.map { "\($0.label): band \($0.band) of 4" } ?? "No sector recorded: band 1 of 4"))
        if sectorBand >= 3 { present.append(.industry) }

        let countryBands = answers.countries.map { index.countryBand($0) }
        let worstCountry = countryBands.max(by: { $0.band < $1.band })
        let countryBand = worstCountry?.band ?? 1
        components.append(.init(name: "Supplier location", points: countryBand,
                                reason: worstCountry.map { "\($0.reason): band \($0.band) of 6" } ?? "No countries recorded: band 1 of 6"))
        if countryBand >= 3 { present.append(.location) }

        let pairs = index.pairs(goods: answers.goods, countries: answers.countries)
        let goodsBonus = pairs.contains(where: \.involvesForcedLabour) ? 2 : pairs.isEmpty ? 0 : 1
        let goodsReason: String
        let forcedPairs = pairs.filter(\.involvesForcedLabour)
        if !pairs.isEmpty {
            let shown = (forcedPairs.isEmpty ? pairs : forcedPairs).map { "\($0.good) from \($0.country)" }
            goodsReason = "\(shown.prefix(4).joined(separator: "; ")) \(shown.count == 1 ? "is" : "are") on the ILAB list for \(forcedPairs.isEmpty ? "child labour" : "forced labour")"
        } else if !answers.goods.isEmpty {
            goodsReason = "No listed good × country pair for \(answers.goods.joined(separator: ", "))"
        } else {
            goodsReason = "No goods recorded"
        }
        components.append(.init(name: "Commodity", points: goodsBonus, reason: goodsReason))
        if !pairs.isEmpty || answers.goods.contains(where: index.isListed) { present.append(.commodity) }

        let inherent = min(10, sectorBand + countryBand + goodsBonus)
        var score = inherent

        func adjust(_ characteristic: RiskCharacteristic, _ labels: [String]) {
            guard !labels.isEmpty else { return }
            present.append(characteristic)
            score += 1
            components.append(.init(name: characteristic.label, points: 1, reason: labels.joined(separator: "; ")))
        }
        adjust(.workforce, answers.workforce.map(\.label))
        adjust(.context, answers.context.map(\.label))
        adjust(.businessModel, answers.businessModel.map(\.label))

        let credit = min(2, answers.mitigations.count)
        if credit > 0 {
            score -= credit
            components.append(.init(name: "Mitigation", points: -credit, reason: answers.mitigations.map(\.label).joined(separator: "; ")))
        }
        score = max(0, score)

        var level = thresholds.level(for: score)
        var reasons: [String] = []
        if !answers.circuitBreakers.isEmpty {
            level = .high
            reasons.append(contentsOf: answers.circuitBreakers.map { "High whatever the score: \($0.label.lowercased())" })
        }
        reasons.append("Score \(score): \(thresholds.level(for: score).label.lowercased()) on the score (medium from \(thresholds.mediumFrom), high from \(thresholds.highFrom))")
        reasons.append(contentsOf: components.filter { $0.points > 1 || $0.name == "Commodity" && $0.points > 0 }.map { $0.reason })
        let ordered = RiskCharacteristic.allCases.filter(present.contains)
        if ordered.count >= 2 {
            reasons.append("\(ordered.count) of the six characteristics are present (\(ordered.map(\.label).joined(separator: ", "))): PPN 02/23 expects a full assessment")
        }
        return RiskResult(score: score, level: level, components: components, characteristicsPresent: ordered,
                          circuitBreakers: answers.circuitBreakers, reasons: reasons)
    }

    /// What the level requires at each procurement stage (suppliers.md §2, "What each level triggers").
    public static func requirements(for level: RiskLevel) -> [(stage: String, requirement: String)] {
        switch level {
        case .low:
            [("Selection", "Standard Selection Questionnaire above the threshold; mandatory exclusion on conviction, discretionary on evidence")]
        case .medium:
            [("Need and market engagement", "Consider Social Value Model criteria"),
             ("Procurement pack", "Add the authority's modern slavery questions to the Selection Questionnaire (risk identification, due diligence, supply chain mapping, training, remediation)"),
             ("Selection", "Standard Selection Questionnaire; mandatory exclusion on conviction, discretionary on evidence"),
             ("Manage and monitor", "KPIs that include actions to identify modern slavery; regular contract management meetings; ask the supplier to complete MSAT")]
        case .high:
            [("Need and market engagement", "Social Value criteria or modern slavery requirements in the specification"),
             ("Procurement pack", "Modern slavery questions in the Selection Questionnaire; specification, award criteria and clauses sized to the risk"),
             ("Selection", "The list of supply chain members, each with a Part 1 and Part 2 self-declaration"),
             ("Contract terms", "Specimen modern slavery clauses in the contract"),
             ("Manage and monitor", "KPIs that include actions to identify modern slavery; regular contract management meetings; MSAT; an annual supplier assessment")]
        }
    }
}
