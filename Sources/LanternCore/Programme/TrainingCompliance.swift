/// Whether a member of staff's training for one course is in date.
///
/// Sources: the seeds' training requirements (`shared/seeds/003_…`: "All STAR staff involved in
/// sourcing activities will complete the course annually"; new starters "during their
/// induction"; a manager dashboard "to check that staff required to do so have undertaken
/// modern slavery training") and the programme issue (compliant, due soon, overdue, never
/// trained).
public enum TrainingStatus: String, CaseIterable, Codable, Sendable {
    case compliant
    /// In date, but it expires (or a new starter's first deadline falls) within the warning window.
    case dueSoon = "due_soon"
    /// Trained once, but the training has expired.
    case overdue
    /// No completion on record, and past any new-starter window.
    case neverTrained = "never_trained"

    public var label: String {
        switch self {
        case .compliant: "Compliant"
        case .dueSoon: "Due soon"
        case .overdue: "Overdue"
        case .neverTrained: "Never trained"
        }
    }
}

/// How a course is kept up: refreshed every so many months (or done once), and how long a new
/// starter has to complete it.
public struct CourseRule: Sendable, Equatable {
    /// nil: done once, never expires.
    public var refreshMonths: Int?
    public var newStarterDays: Int

    public init(refreshMonths: Int?, newStarterDays: Int = TrainingCompliance.defaultNewStarterDays) {
        self.refreshMonths = refreshMonths
        self.newStarterDays = newStarterDays
    }
}

public struct TrainingState: Sendable, Equatable {
    public var status: TrainingStatus
    /// When it expires, or when a new starter must have done it; nil when it never expires.
    public var due: Day?
    public var lastCompleted: Day?
    /// Holds a completion that has not expired: what the compliance rate counts.
    public var inDate: Bool { lastCompleted != nil && status != .overdue }
}

public enum TrainingCompliance {
    public static let defaultNewStarterDays = 30
    /// Warn this many days before training expires.
    public static let dueSoonDays = 30

    /// The day a completion stops counting: the same day `refreshMonths` later (a completion on
    /// 31 January with a 1-month refresh expires on 28 or 29 February).
    public static func expiry(completed: Day, refreshMonths: Int?) -> Day? {
        refreshMonths.map { completed.adding(months: $0) }
    }

    public static func state(completions: [Day], rule: CourseRule, startedOn: Day?, today: Day,
                             dueSoonDays: Int = dueSoonDays) -> TrainingState {
        // Completions dated after today are not counted: a record cannot be in date before it happened.
        guard let last = completions.filter({ $0 <= today }).max() else {
            let firstDue = startedOn.map { $0.adding(days: rule.newStarterDays) }
            if let firstDue, today < firstDue {
                return TrainingState(status: .dueSoon, due: firstDue, lastCompleted: nil)
            }
            return TrainingState(status: .neverTrained, due: firstDue, lastCompleted: nil)
        }
        guard let expires = expiry(completed: last, refreshMonths: rule.refreshMonths) else {
            return TrainingState(status: .compliant, due: nil, lastCompleted: last)
        }
        if today >= expires { return TrainingState(status: .overdue, due: expires, lastCompleted: last) }
        let status: TrainingStatus = today.days(until: expires) <= dueSoonDays ? .dueSoon : .compliant
        return TrainingState(status: status, due: expires, lastCompleted: last)
    }

    /// Share of required trainings in date, as a whole percent rounded half up; nil when none is required.
    public static func rate(_ states: [TrainingState]) -> Int? {
        PublishedRounding.percent(states.filter(\.inDate).count, of: states.count)
    }
}

/// Who must take a course: everyone, or those matching a job title, a team, a directorate (all
/// that are given must match). Job titles are compared without regard to case or spacing.
public struct TrainingRequirementRule: Sendable, Equatable {
    public var jobTitle: String?
    public var team: String?
    public var directorate: String?

    public init(jobTitle: String? = nil, team: String? = nil, directorate: String? = nil) {
        self.jobTitle = jobTitle.flatMap(Self.clean)
        self.team = team.flatMap(Self.clean)
        self.directorate = directorate.flatMap(Self.clean)
    }

    public func applies(jobTitle: String, team: String?, directorate: String) -> Bool {
        func matches(_ wanted: String?, _ actual: String?) -> Bool {
            guard let wanted else { return true }
            return Self.clean(actual ?? "") == wanted
        }
        return matches(self.jobTitle, jobTitle) && matches(self.team, team) && matches(self.directorate, directorate)
    }

    public var description: String {
        let parts = [jobTitle.map { "job title \"\($0)\"" }, team.map { "team \"\($0)\"" }, directorate.map { "directorate \"\($0)\"" }].compactMap { $0 }
        return parts.isEmpty ? "all staff" : parts.joined(separator: ", ")
    }

    static func clean(_ text: String) -> String? {
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}
