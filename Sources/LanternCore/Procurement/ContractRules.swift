/// Rules for contracts once let: which regime governs them, when a statement is required,
/// and when the annual supplier assessment falls due.
/// Source: `shared/docs/domain/suppliers.md` §1 (regime), §4 (statement threshold) and §7
/// (annual review of high value, high risk and business critical contracts).
public enum ProcurementRegime: String, CaseIterable, Codable, Sendable {
    case ppn0223 = "ppn_02_23"
    case procurementAct2023 = "pa_2023"

    public var label: String {
        switch self {
        case .ppn0223: "PCR 2015 with PPN 02/23"
        case .procurementAct2023: "Procurement Act 2023 with PPN 009"
        }
    }

    /// The Procurement Act 2023 governs procurements started on or after 24 February 2025.
    public static let actCommencement = Day(year: 2025, month: 2, day: 24)!

    public static func forProcurementStarted(on day: Day) -> ProcurementRegime {
        day < actCommencement ? .ppn0223 : .procurementAct2023
    }
}

/// The organisation's procurement settings, with the defaults the domain notes give.
public struct ProcurementPolicy: Codable, Sendable, Equatable {
    /// Some councils require a statement on every contract over £25,000 (suppliers.md §4).
    public var statementThreshold: Money
    /// Contracts at or above this total value are "high value" and reviewed annually.
    public var highValueThreshold: Money
    public var risk: RiskThresholds

    public init(statementThreshold: Money = Money(pounds: 25_000), highValueThreshold: Money = Money(pounds: 1_000_000),
                risk: RiskThresholds = .init()) {
        self.statementThreshold = statementThreshold
        self.highValueThreshold = highValueThreshold
        self.risk = risk
    }

    public func requiresStatement(value: Money?) -> Bool {
        guard let value else { return false }
        return value > statementThreshold
    }

    public func isHighValue(_ value: Money?) -> Bool {
        guard let value else { return false }
        return value >= highValueThreshold
    }

    /// Why a contract needs an annual supplier assessment, or nothing when it does not.
    public func reviewReasons(value: Money?, riskLevel: RiskLevel?, businessCritical: Bool) -> [String] {
        var reasons: [String] = []
        if isHighValue(value) { reasons.append("High value (\(highValueThreshold) or more)") }
        if riskLevel == .high { reasons.append("High risk") }
        if businessCritical { reasons.append("Business critical") }
        return reasons
    }
}

/// Annual supplier assessment dates. A contract that is high value, high risk or business
/// critical must have a next review date no more than 12 months ahead (suppliers.md §7).
public enum ReviewSchedule {
    public static let maximumMonths = 12

    /// The date to propose: 12 months after the last review, or after the contract start,
    /// or after today; never before today for a contract that has not been reviewed.
    public static func nextDue(lastReview: Day?, contractStart: Day?, today: Day) -> Day {
        if let lastReview { return lastReview.adding(months: maximumMonths) }
        if let contractStart, contractStart > today { return contractStart.adding(months: maximumMonths) }
        return today.adding(months: maximumMonths)
    }

    /// A problem with a chosen date, or nil when it is acceptable.
    public static func problem(nextReview: Day?, needsReview: Bool, today: Day) -> String? {
        guard needsReview else { return nil }
        guard let nextReview else {
            return "Enter the next annual review date: the contract is high value, high risk or business critical"
        }
        if nextReview > today.adding(months: maximumMonths) {
            return "The next annual review must be within 12 months (by \(today.adding(months: maximumMonths).long))"
        }
        return nil
    }

    public enum Status: String, Codable, Sendable { case overdue, dueSoon = "due_soon", scheduled, notRequired = "not_required" }

    /// Overdue after the date; due soon within 30 days.
    public static func status(nextReview: Day?, needsReview: Bool, today: Day) -> Status {
        guard needsReview, let nextReview else { return needsReview ? .overdue : .notRequired }
        if nextReview < today { return .overdue }
        if today.days(until: nextReview) <= 30 { return .dueSoon }
        return .scheduled
    }
}

/// Under the Procurement Act 2023, contracts over £5m need at least three KPIs, assessed and
/// published at least every 12 months (suppliers.md §7).
public enum KPIRules {
    public static let actValueThreshold = Money(pounds: 5_000_000)
    public static let actMinimumKPIs = 3

    public static func shortfall(regime: ProcurementRegime, value: Money?, kpiCount: Int) -> String? {
        guard regime == .procurementAct2023, let value, value > actValueThreshold, kpiCount < actMinimumKPIs else { return nil }
        return "Procurement Act 2023 contracts over £5m need at least \(actMinimumKPIs) KPIs; this one has \(kpiCount)"
    }
}

/// The escalation ladder when a supplier falls short (suppliers.md §9): work with the
/// supplier first, and record who approved each step, when, on what evidence, with what outcome.
public enum EscalationStep: String, CaseIterable, Codable, Sendable, Comparable {
    case correctiveAction = "corrective_action"
    case enhancedMonitoring = "enhanced_monitoring"
    case contractualRemedy = "contractual_remedy"
    case suspension
    case termination
    case exclusion

    public var label: String {
        switch self {
        case .correctiveAction: "Corrective action plan"
        case .enhancedMonitoring: "Enhanced monitoring or unannounced audit"
        case .contractualRemedy: "Contractual remedy (sanction)"
        case .suspension: "Suspension of orders"
        case .termination: "Termination"
        case .exclusion: "Exclusion from future procurements"
        }
    }

    /// Steps beyond a corrective action plan are decisions: they need an approver and evidence.
    public var needsApproval: Bool { self != .correctiveAction }

    public static func < (lhs: EscalationStep, rhs: EscalationStep) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Risk register entries (suppliers.md §7, "Each risk").
public enum RiskTreatment: String, CaseIterable, Codable, Sendable {
    case mitigate, accept, avoid, transfer
    public var label: String { rawValue.capitalized }
}

public enum RegisterScale {
    /// Likelihood and impact on 1 to 5; their product rates the risk.
    public static let range = 1...5

    public static func rating(likelihood: Int, impact: Int) -> RiskLevel {
        let product = likelihood * impact
        return product >= 15 ? .high : product >= 6 ? .medium : .low
    }
}
