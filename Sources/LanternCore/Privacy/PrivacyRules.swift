/// Deadlines for requests from people about their own data.
///
/// Sources: UK GDPR Art. 12(3) and the ICO's guidance on the right of access, as the housing
/// association's privacy notice promises (`shared/seeds/002_…`: "within one month of receipt of
/// the request"; "we will need to confirm your identity"):
/// - one calendar month from the day the request is received (or the day the identity evidence
///   asked for arrives); where the next month has no corresponding date, the last day of that
///   month; where the deadline falls on a weekend or bank holiday, the next working day;
/// - extendable by a further two months for complex or numerous requests, if the person is told
///   within the first month, with the reason.
public enum RequestDeadline {
    public static let extensionMonths = 2

    /// The day the clock starts: receipt, or the arrival of identity evidence asked for after it.
    public static func clockStart(received: Day, identityEvidenceReceived: Day?) -> Day {
        guard let evidence = identityEvidenceReceived, evidence > received else { return received }
        return evidence
    }

    public static func due(clockStart: Day) -> Day {
        nextWorkingDay(clockStart.adding(months: 1))
    }

    /// The extended deadline: two further months on the corresponding date.
    public static func extendedDue(clockStart: Day) -> Day {
        nextWorkingDay(clockStart.adding(months: 1 + extensionMonths))
    }

    /// An extension must be made, and the person told, before the first deadline passes.
    public static func canExtend(clockStart: Day, personToldOn: Day) -> Bool {
        personToldOn <= due(clockStart: clockStart)
    }

    static func nextWorkingDay(_ day: Day) -> Day {
        var d = day
        while !EnglandAndWalesCalendar.isWorkingDay(d) { d = d.adding(days: 1) }
        return d
    }
}

/// The kinds of record Lantern keeps for a period and then deletes or anonymises.
/// Source: the privacy notice ("keep it for no longer than is necessary") and
/// `shared/docs/domain/security.md` §6 (warn before a purge, legal hold, keep a tombstone).
public enum RetainedRecord: String, CaseIterable, Codable, Sendable {
    case closedCases = "closed_cases"
    case concernsNoFurtherAction = "concerns_no_further_action"
    case anonymousReports = "anonymous_reports"
    case supplierRecords = "supplier_records"
    case trainingRecords = "training_records"
    case auditLog = "audit_log"

    public var label: String {
        switch self {
        case .closedCases: "Closed cases"
        case .concernsNoFurtherAction: "Concerns closed with no further action"
        case .anonymousReports: "Anonymous reports, after closing"
        case .supplierRecords: "Suppliers with no active contract"
        case .trainingRecords: "Training records of people who have left"
        case .auditLog: "Audit log entries"
        }
    }

    /// What starts the period.
    public var from: String {
        switch self {
        case .closedCases, .concernsNoFurtherAction, .anonymousReports: "the day it was closed"
        case .supplierRecords: "the end of the supplier's last contract"
        case .trainingRecords: "the person's leaving date"
        case .auditLog: "the day of the entry"
        }
    }

    /// Anonymise keeps the coarse columns the statistics count; delete removes the record.
    public var action: RetentionAction {
        switch self {
        case .closedCases, .concernsNoFurtherAction, .anonymousReports: .anonymise
        case .supplierRecords, .trainingRecords, .auditLog: .delete
        }
    }

    /// Starting periods, in months, for an administrator to confirm or change.
    public var defaultMonths: Int {
        switch self {
        case .closedCases: 72          // six years after closure
        case .concernsNoFurtherAction: 24
        case .anonymousReports: 12
        case .supplierRecords: 72      // six years after the last contract (limitation period)
        case .trainingRecords: 72
        case .auditLog: 84             // longer than anything it records
        }
    }
}

public enum RetentionAction: String, Codable, Sendable {
    case delete, anonymise
}

public enum RetentionRules {
    /// The last day a record is kept: `months` after the day its period started.
    public static func keptUntil(start: Day, months: Int) -> Day { start.adding(months: months) }

    /// Expired on the day after the last day kept.
    public static func hasExpired(start: Day, months: Int, today: Day) -> Bool {
        today > keptUntil(start: start, months: months)
    }

    /// The earliest start day still kept today: anything that started before it has expired.
    public static func cutoff(months: Int, today: Day) -> Day {
        today.adding(months: -months)
    }
}
