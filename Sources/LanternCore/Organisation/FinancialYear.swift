import Foundation

/// A financial year that ends on a fixed day and month (31 March for most UK public
/// bodies). Statements, KPIs and partnership reports are cut by it.
public struct FinancialYear: Sendable, Equatable, CustomStringConvertible {
    /// The calendar year in which this financial year ends.
    public let endYear: Int
    public let endMonth: Int
    public let endDay: Int

    public init(endYear: Int, endMonth: Int = 3, endDay: Int = 31) {
        self.endYear = endYear
        self.endMonth = endMonth
        self.endDay = endDay
    }

    /// 29 February is never a year end: days in February are counted as 28.
    static func daysIn(month: Int) -> Int {
        [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// The financial year containing `date`, in the UK calendar.
    public static func containing(_ date: Date, endMonth: Int = 3, endDay: Int = 31) -> FinancialYear {
        let parts = Calendar.ukCivil.dateComponents([.year, .month, .day], from: date)
        let (y, m, d) = (parts.year!, parts.month!, parts.day!)
        let afterEnd = m > endMonth || (m == endMonth && d > endDay)
        return FinancialYear(endYear: afterEnd ? y + 1 : y, endMonth: endMonth, endDay: endDay)
    }

    /// First day of the year (inclusive), at midnight UK time.
    public var start: Date {
        let previousEnd = Calendar.ukCivil.date(from: DateComponents(year: endYear - 1, month: endMonth, day: endDay))!
        return Calendar.ukCivil.date(byAdding: .day, value: 1, to: previousEnd)!
    }

    /// The instant after the last day (exclusive upper bound).
    public var end: Date {
        let last = Calendar.ukCivil.date(from: DateComponents(year: endYear, month: endMonth, day: endDay))!
        return Calendar.ukCivil.date(byAdding: .day, value: 1, to: last)!
    }

    /// "2024/25" when the year straddles two calendar years, "2025" otherwise.
    public var description: String {
        if endMonth == 12 && endDay == 31 { return String(endYear) }
        return "\(endYear - 1)/\(String(format: "%02d", endYear % 100))"
    }
}

extension Calendar {
    /// Gregorian calendar in UK local time, used for every date rule in Lantern.
    public static let ukCivil: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Europe/London")!
        c.locale = Locale(identifier: "en_GB")
        return c
    }()
}
