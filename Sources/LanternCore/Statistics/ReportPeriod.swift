import Foundation

/// The period a partnership report covers, and the one it is compared with: the year before,
/// the quarter before, or for a custom period the same number of days just before it.
/// Days are UK civil days; `end` is exclusive.
public struct ReportPeriod: Sendable, Equatable {
    public let start: Day
    public let end: Day
    public let label: String

    public init(start: Day, end: Day, label: String) {
        self.start = start
        self.end = end
        self.label = label
    }

    public static func financialYear(endYear: Int, endMonth: Int = 3, endDay: Int = 31) -> ReportPeriod {
        let last = Day(year: endYear, month: endMonth, day: min(endDay, Day.daysIn(month: endMonth, year: endYear)))!
        let previousLast = last.adding(months: -12)
        let fy = FinancialYear(endYear: endYear, endMonth: endMonth, endDay: endDay)
        return ReportPeriod(start: previousLast.adding(days: 1), end: last.adding(days: 1), label: "Financial year \(fy)")
    }

    /// Quarter 1 to 4 of the financial year ending in `endYear`.
    public static func quarter(_ number: Int, endYear: Int, endMonth: Int = 3, endDay: Int = 31) -> ReportPeriod {
        let year = financialYear(endYear: endYear, endMonth: endMonth, endDay: endDay)
        let q = min(4, max(1, number))
        let start = year.start.adding(months: 3 * (q - 1))
        let fy = FinancialYear(endYear: endYear, endMonth: endMonth, endDay: endDay)
        return ReportPeriod(start: start, end: start.adding(months: 3), label: "Quarter \(q) of \(fy)")
    }

    /// From `from` to `to`, both included.
    public static func custom(from: Day, to: Day) -> ReportPeriod? {
        guard from <= to else { return nil }
        return ReportPeriod(start: from, end: to.adding(days: 1), label: "\(from.long) to \(to.long)")
    }

    public var previous: ReportPeriod {
        let length = start.days(until: end)
        // Whole years and quarters compare with the same months a year or a quarter before.
        if start.adding(months: 12) == end {
            return ReportPeriod(start: start.adding(months: -12), end: start, label: "the year before")
        }
        if start.adding(months: 3) == end {
            return ReportPeriod(start: start.adding(months: -3), end: start, label: "the quarter before")
        }
        return ReportPeriod(start: start.adding(days: -length), end: start, label: "the \(length) days before")
    }

    /// Midnight UK time at the start of `day`, for comparing with stored instants.
    public static func instant(_ day: Day) -> Date {
        Calendar.ukCivil.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
    }
}
