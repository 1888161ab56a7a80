import Foundation

/// A calendar day with no time or zone: contract dates, review due dates, statement periods.
/// Stored as ISO 8601 text (`2026-03-31`), which sorts and compares correctly in SQL.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month),
              (1...Day.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The UK civil day on which `date` falls.
    public init(_ date: Date) {
        let parts = Calendar.ukCivil.dateComponents([.year, .month, .day], from: date)
        year = parts.year!
        month = parts.month!
        day = parts.day!
    }

    /// Reads `2026-03-31` (ISO), `31/03/2026` (UK order, as spreadsheets write it) or
    /// `31 March 2026` / `31st Mar 2026` (as statements write it). US order is never assumed:
    /// `03/31/2026` is refused rather than misread.
    public init?(parsing text: String) {
        let trimmed = text.trimmingSpaces
        let iso = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        if iso.count == 3, iso[0].count == 4, let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2]) {
            self.init(year: y, month: m, day: d)
            return
        }
        let uk = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        if uk.count == 3, uk[2].count == 4, let d = Int(uk[0]), let m = Int(uk[1]), let y = Int(uk[2]) {
            self.init(year: y, month: m, day: d)
            return
        }
        let words = trimmed.split(separator: " ")
        if words.count == 3, let d = Int(words[0].prefix(while: \.isASCIIDigit)), let y = Int(words[2]), words[2].count == 4,
           let m = Day.monthNames.firstIndex(where: { $0.lowercased().hasPrefix(words[1].lowercased().prefix(3)) }), words[1].count >= 3 {
            self.init(year: y, month: m + 1, day: d)
            return
        }
        return nil
    }

    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = Day(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Not a date: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        month == 2 ? (isLeap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    public var iso: String {
        // Padded by hand: `String(format:)` is slow, and pages write many dates.
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    public var description: String { iso }

    /// "31 March 2026", as GOV.UK writes dates.
    public var long: String {
        "\(day) \(Day.monthNames[month - 1]) \(year)"
    }

    /// "March 2026".
    public var monthAndYear: String { "\(Day.monthNames[month - 1]) \(year)" }

    /// The same day `months` later; the 31st becomes the month's last day where needed.
    public func adding(months: Int) -> Day {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return Day(year: y, month: m, day: min(day, Day.daysIn(month: m, year: y)))!
    }

    /// Counted in whole civil days, without a calendar: Foundation's took a twentieth of the
    /// home page, which counts working days to each deadline one day at a time.
    public func adding(days: Int) -> Day {
        Day(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days-from-civil).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The day `days` after 1970-01-01 (civil-from-days, the inverse of `daysSinceEpoch`).
    public init(daysSinceEpoch days: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The first instant of this day in the UK.
    public var startInUK: Date {
        Calendar.ukCivil.startOfDay(for: noon)
    }

    /// Midday UK time on this day: safe from daylight-saving edges when converting.
    public var noon: Date {
        Calendar.ukCivil.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
    }

    /// Whole days from this day to `other` (negative when `other` is earlier).
    public func days(until other: Day) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
