/// The organisation's modern slavery action plan: actions under five areas, each with an owner,
/// a due date and progress, reviewed mid-year and at the year end; actions that become
/// "business as usual" drop out of the next plan, unfinished ones carry over.
///
/// Source: `shared/seeds/003_…` (the areas "defining and outlining risks, prevention,
/// detection, response, evaluation"; "actions from 2023/24 that have become embedded into
/// everyday activity will generally be excluded from future action plan as they are now
/// 'business as usual'"; "a mid-year progress report"; internal audit recommendations whose
/// agreed actions join the plan).
public enum PlanArea: String, CaseIterable, Codable, Sendable {
    case definingRisks = "defining_risks"
    case prevention, detection, response, evaluation

    public var label: String {
        switch self {
        case .definingRisks: "Defining and outlining risks"
        case .prevention: "Prevention"
        case .detection: "Detection"
        case .response: "Response"
        case .evaluation: "Evaluation"
        }
    }

    /// Which of the Home Office guidance's six statement headings the area's actions report under.
    public var statementHeading: StatementHeading {
        switch self {
        case .definingRisks: .riskAssessment
        case .prevention: .training
        case .detection: .dueDiligence
        case .response: .policies
        case .evaluation: .effectiveness
        }
    }
}

public enum ActionStatus: String, CaseIterable, Codable, Sendable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case done
    /// Stopped on purpose, with the reason in a progress note; never carried over.
    case withdrawn

    public var label: String {
        switch self {
        case .notStarted: "Not started"
        case .inProgress: "In progress"
        case .done: "Done"
        case .withdrawn: "Withdrawn"
        }
    }
}

public enum ActionPlanRules {
    /// An action joins next year's plan unless it is finished, withdrawn or now business as usual.
    public static func carriesOver(status: ActionStatus, businessAsUsual: Bool) -> Bool {
        !businessAsUsual && (status == .notStarted || status == .inProgress)
    }

    public static func isOverdue(status: ActionStatus, due: Day?, today: Day) -> Bool {
        guard let due, status == .notStarted || status == .inProgress else { return false }
        return due < today
    }

    /// The mid-year review date: the last day of the sixth month of the plan year.
    public static func midYear(of year: FinancialYear) -> Day {
        Day(year.start).adding(months: 6).adding(days: -1)
    }

    /// Counts for a progress report, area by area.
    public struct Progress: Codable, Sendable, Equatable {
        public var planned = 0, done = 0, inProgress = 0, notStarted = 0, withdrawn = 0, overdue = 0, businessAsUsual = 0, carriesOver = 0
        public init() {}

        public mutating func add(status: ActionStatus, businessAsUsual bau: Bool, due: Day?, asOf: Day) {
            planned += 1
            switch status {
            case .done: done += 1
            case .inProgress: inProgress += 1
            case .notStarted: notStarted += 1
            case .withdrawn: withdrawn += 1
            }
            if bau { businessAsUsual += 1 }
            if ActionPlanRules.carriesOver(status: status, businessAsUsual: bau) { carriesOver += 1 }
            if ActionPlanRules.isOverdue(status: status, due: due, today: asOf) { overdue += 1 }
        }

        /// "12 actions: 7 done, 3 in progress, 2 not started (1 overdue); 4 now business as usual; 5 carry over."
        public var sentence: String {
            var text = "\(planned) \(planned == 1 ? "action" : "actions"): \(done) done, \(inProgress) in progress, \(notStarted) not started"
            if withdrawn > 0 { text += ", \(withdrawn) withdrawn" }
            if overdue > 0 { text += " (\(overdue) overdue)" }
            text += "; \(businessAsUsual) now business as usual; \(carriesOver) \(carriesOver == 1 ? "carries" : "carry") over."
            return text
        }
    }
}

/// An internal audit recommendation's state, tracked to closure.
public enum RecommendationStatus: String, CaseIterable, Codable, Sendable {
    case open
    case agreed
    case implemented
    /// Not accepted by management, with the reason recorded: the audit committee sees it.
    case notAccepted = "not_accepted"

    public var label: String {
        switch self {
        case .open: "Open: action not yet agreed"
        case .agreed: "Action agreed"
        case .implemented: "Implemented"
        case .notAccepted: "Not accepted"
        }
    }

    public var isClosed: Bool { self == .implemented || self == .notAccepted }
}

public enum RecommendationPriority: String, CaseIterable, Codable, Sendable {
    case high, medium, low
    public var label: String { rawValue.sentenceCased }
}
