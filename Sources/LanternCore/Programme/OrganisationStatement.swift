/// The six headings of the Home Office guidance under which an annual modern slavery statement
/// reports (MSA 2015 s54(5); `shared/docs/domain/statements.md` §1, "the guidance expects all six").
public enum StatementHeading: String, CaseIterable, Codable, Sendable {
    case structure, policies
    case dueDiligence = "due_diligence"
    case riskAssessment = "risk_assessment"
    case effectiveness, training

    public var title: String {
        switch self {
        case .structure: "Our structure, business and supply chains"
        case .policies: "Our policies on slavery and human trafficking"
        case .dueDiligence: "Due diligence in our business and supply chains"
        case .riskAssessment: "Risk assessment and management"
        case .effectiveness: "Our effectiveness, measured by key performance indicators"
        case .training: "Training on modern slavery and human trafficking"
        }
    }
}

/// The organisation's own figures for a year, as the statement's KPIs report them.
/// Source: `shared/docs/domain/suppliers.md` §8 (organisation KPIs: high-risk contracts with a
/// current assessment, contracts with a statement check, training by role, concerns raised and
/// their outcomes, year-on-year change) and the programme issue's list.
public struct ProgrammeKPIs: Codable, Sendable, Equatable {
    public var activeContracts = 0
    public var assessedContracts = 0
    public var highRiskContracts = 0
    /// High-risk contracts reviewed in the last 12 months.
    public var highRiskReviewed = 0
    public var highRiskWithClauses = 0
    public var suppliers = 0
    /// Suppliers whose modern slavery statement has been checked.
    public var suppliersWithStatement = 0
    public var trainingRequired = 0
    public var trainingInDate = 0
    public var concernsReceived = 0
    /// Acknowledged within the 7-day target.
    public var concernsAcknowledgedOnTime = 0
    public var casesOpened = 0
    public var nrmReferrals = 0
    public var dutyToNotify = 0
    public init() {}
}

/// What the generated statement is written from: the organisation's data for the year.
public struct StatementFacts: Codable, Sendable {
    public struct PlannedAction: Codable, Sendable, Equatable {
        public var area: PlanArea
        public var title: String
        public var owner: String
        public var due: Day?
        public init(area: PlanArea, title: String, owner: String, due: Day?) { self.area = area; self.title = title; self.owner = owner; self.due = due }
    }
    public struct CourseRate: Codable, Sendable, Equatable {
        public var course: String
        public var required: Int
        public var inDate: Int
        public init(course: String, required: Int, inDate: Int) { self.course = course; self.required = required; self.inDate = inDate }
    }

    public var organisation: String
    /// "council", "housing association" …
    public var organisationKind: String
    public var year: String
    public var periodStart: Day
    public var periodEnd: Day
    public var kpis: ProgrammeKPIs
    public var previousKPIs: ProgrammeKPIs?
    public var riskLevels: [String: Int] = [:]
    public var topCategories: [String] = []
    public var courses: [CourseRate] = []
    public var progress: ActionPlanRules.Progress?
    public var businessAsUsual: [String] = []
    public var nextYear: String
    public var nextYearActions: [PlannedAction] = []
    public var recommendationsOpen = 0
    public var recommendationsClosed = 0
    public var partnershipSummary: String?
    /// Sessions for local professionals and community groups in the year.
    public var outreach: OutreachSummary?
    /// Contract categories with the most high-risk contracts, for the supply chain statement.
    public var highRiskCategories: [String] = []
    public var contractActionsOpen = 0
    public var contractActionsClosed = 0
    public var sanctions = 0

    public init(organisation: String, organisationKind: String, year: String, periodStart: Day, periodEnd: Day, kpis: ProgrammeKPIs, nextYear: String) {
        self.organisation = organisation
        self.organisationKind = organisationKind
        self.year = year
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.kpis = kpis
        self.nextYear = nextYear
    }
}

/// Writes the figures of each section of the annual statement from the organisation's data.
/// People write the text around them; the figures are always these, so a reader's check and the
/// organisation's records agree.
public enum OrganisationStatement {
    public struct Section: Codable, Sendable, Equatable {
        public var heading: StatementHeading
        /// Prose a person may edit (prefilled with a starting point).
        public var text: String
        /// Sentences generated from the data, not edited by hand.
        public var figures: [String]
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        PublishedRounding.percent(part, of: whole).map { "\(part) of \(whole) (\($0)%)" } ?? "none of 0"
    }

    static func change(_ now: Int, _ before: Int?, _ what: String) -> String? {
        guard let before else { return nil }
        return now == before ? "The same number of \(what) as the year before." : "\(now > before ? "Up" : "Down") from \(before) the year before."
    }

    public static func figures(_ heading: StatementHeading, _ f: StatementFacts) -> [String] {
        let k = f.kpis
        switch heading {
        case .structure:
            var lines = ["In \(f.year) we managed \(k.activeContracts) active \(k.activeContracts == 1 ? "contract" : "contracts") with \(k.suppliers) \(k.suppliers == 1 ? "supplier" : "suppliers") on our register."]
            if !f.topCategories.isEmpty { lines.append("Our largest categories of spend by number of contracts are \(list(f.topCategories)).") }
            return lines
        case .policies:
            return ["Our contract terms include modern slavery clauses in \(percent(k.highRiskWithClauses, k.highRiskContracts)) high-risk contracts.",
                    "Staff, suppliers and members of the public can report a concern, anonymously if they wish; \(k.concernsReceived == 0 ? "none was received this year." : "we received \(k.concernsReceived) \(k.concernsReceived == 1 ? "concern" : "concerns") and acknowledged \(percent(k.concernsAcknowledgedOnTime, k.concernsReceived)) within 7 days.")"]
        case .dueDiligence:
            return ["We checked the modern slavery statements of \(percent(k.suppliersWithStatement, k.suppliers)) suppliers against the statutory guidance.",
                    "We reviewed \(percent(k.highRiskReviewed, k.highRiskContracts)) high-risk contracts in the last 12 months, including supply chain mapping and contract management meetings."]
        case .riskAssessment:
            let levels = ["high", "medium", "low"].map { "\(f.riskLevels[$0] ?? 0) \($0)" }.joined(separator: ", ")
            return ["We assessed the modern slavery risk of \(percent(k.assessedContracts, k.activeContracts)) active contracts using the PPN 02/23 model: \(levels) risk."]
        case .effectiveness:
            var lines = [
                "Contracts risk-assessed: \(percent(k.assessedContracts, k.activeContracts)).",
                "High-risk contracts reviewed: \(percent(k.highRiskReviewed, k.highRiskContracts)).",
                "Suppliers with a checked statement: \(percent(k.suppliersWithStatement, k.suppliers)).",
                "Training compliance: \(percent(k.trainingInDate, k.trainingRequired)) required courses in date.",
                "Concerns handled: \(k.concernsReceived == 0 ? "none received" : "\(k.concernsReceived) received, \(percent(k.concernsAcknowledgedOnTime, k.concernsReceived)) acknowledged within 7 days"); \(k.casesOpened) \(k.casesOpened == 1 ? "case" : "cases") opened, \(k.nrmReferrals) NRM \(k.nrmReferrals == 1 ? "referral" : "referrals") and \(k.dutyToNotify) Duty to Notify \(k.dutyToNotify == 1 ? "notification" : "notifications").",
            ]
            if let p = f.previousKPIs {
                lines += [change(k.concernsReceived, p.concernsReceived, "concerns"), change(k.assessedContracts, p.assessedContracts, "contracts assessed")]
                    .compactMap { $0 }
            }
            if let progress = f.progress { lines.append("Our action plan for \(f.year): \(progress.sentence)") }
            if f.recommendationsOpen + f.recommendationsClosed > 0 {
                lines.append("Internal audit recommendations: \(f.recommendationsClosed) closed, \(f.recommendationsOpen) still open.")
            }
            return lines
        case .training:
            var lines = ["Across the organisation \(percent(k.trainingInDate, k.trainingRequired)) required modern slavery courses were in date at the end of the year."]
            lines += f.courses.map { "\($0.course): \(percent($0.inDate, $0.required)) staff required to take it are in date." }
            if let outreach = f.outreach?.sentence { lines.append(outreach) }
            return lines
        }
    }

    /// A starting point for each section's prose, in the organisation's own words to be edited.
    public static func defaultText(_ heading: StatementHeading, _ f: StatementFacts) -> String {
        switch heading {
        case .structure:
            "This statement is made under section 54 of the Modern Slavery Act 2015 and sets out the steps \(f.organisation) took during the financial year from \(f.periodStart.long) to \(f.periodEnd.long) to prevent modern slavery and human trafficking in its business and supply chains. \(f.organisation) is a \(f.organisationKind) in England. We buy goods, works and services from suppliers in the UK and overseas, and our supply chains include sectors with a known risk of labour exploitation."
        case .policies:
            "We have a zero tolerance approach to modern slavery. Our procurement policy requires suppliers to comply with the Modern Slavery Act 2015, and our safeguarding, whistleblowing and recruitment policies set out how staff report and respond to concerns about exploitation."
        case .dueDiligence:
            "Suppliers answer the modern slavery questions of the Selection Questionnaire and declare that they have not been convicted of offences under the Act. We carry out due diligence on new and existing suppliers in proportion to the risk of each contract."
        case .riskAssessment:
            "We assess the risk of modern slavery in each contract by sector, location, workforce and supply chain, and we keep a risk register for every high-risk contract with its controls, owner and review date. High-value, high-risk and business-critical contracts are reviewed each year."
        case .effectiveness:
            "We measure the effectiveness of our approach with the key performance indicators below, which we report each year so that progress can be compared year on year."
        case .training:
            "We provide training on modern slavery and human trafficking to staff according to their role: awareness for all staff, and further training for procurement, contract management and safeguarding staff."
        }
    }

    public static func sections(_ f: StatementFacts, text: [StatementHeading: String] = [:]) -> [Section] {
        StatementHeading.allCases.map { Section(heading: $0, text: text[$0] ?? defaultText($0, f), figures: figures($0, f)) }
    }

    /// "Our plan for 2026/27", area by area.
    public static func plan(_ f: StatementFacts) -> [(area: PlanArea, lines: [String])] {
        PlanArea.allCases.compactMap { area in
            let actions = f.nextYearActions.filter { $0.area == area }
            guard !actions.isEmpty else { return nil }
            return (area, actions.map { a in a.title + " (" + [a.owner, a.due.map { "by \($0.long)" }].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ") + ")" })
        }
    }

    /// The approval sentence, in the words the statutory guidance expects: the governing body
    /// and the date (`statements.md` §6, A1).
    public static func approval(organisation: String, body: String, approvedOn: Day, year: String) -> String {
        "This statement was approved by the \(body) of \(organisation) on \(approvedOn.long) and constitutes our modern slavery and human trafficking statement for the financial year \(year)."
    }

    /// The signature: name, role and date (`statements.md` §6, S1).
    public static func signature(name: String, role: String, signedOn: Day) -> String {
        "Signed by \(name), \(role), on \(signedOn.long)."
    }

    /// The Transparency in Supply Chains statement that accompanies the annual statement: where
    /// the risks in the supply chains are and how they are mitigated (`shared/seeds/004_…`: "an
    /// Annual Transparency in Supply Chains Statement to demonstrate what the risks are in our
    /// supply chains and how we mitigate them").
    public static func supplyChains(_ f: StatementFacts) -> [(title: String, lines: [String])] {
        let k = f.kpis
        let levels = ["high", "medium", "low"].map { "\(f.riskLevels[$0] ?? 0) \($0)" }.joined(separator: ", ")
        var risks = ["Of our \(k.activeContracts) active contracts, \(percent(k.assessedContracts, k.activeContracts)) have a modern slavery risk assessment: \(levels) risk."]
        if !f.highRiskCategories.isEmpty { risks.append("The high-risk contracts are concentrated in \(list(f.highRiskCategories)).") }
        return [
            ("Where the risks in our supply chains are", risks),
            ("How we mitigate them", [
                "Modern slavery clauses are in \(percent(k.highRiskWithClauses, k.highRiskContracts)) high-risk contracts.",
                "We reviewed \(percent(k.highRiskReviewed, k.highRiskContracts)) high-risk contracts in the last 12 months.",
                "We checked the modern slavery statements of \(percent(k.suppliersWithStatement, k.suppliers)) suppliers.",
            ]),
            ("What we found and did", [
                "Supplier action plans: \(f.contractActionsClosed) completed and \(f.contractActionsOpen) open; \(f.sanctions) \(f.sanctions == 1 ? "sanction" : "sanctions") applied.",
            ]),
        ]
    }

    /// "a, b and c"; items that have commas of their own are set apart with semicolons.
    public static func list(_ items: [String]) -> String {
        let separator = items.contains { $0.contains(",") } ? "; " : ", "
        return items.count <= 1 ? items.joined() : items.dropLast().joined(separator: separator) + (separator == "; " ? "; and " : " and ") + items.last!
    }
}
