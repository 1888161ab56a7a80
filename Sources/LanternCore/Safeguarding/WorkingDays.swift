import Foundation

/// England and Wales bank holidays and working-day arithmetic, for the NRM Reasonable Grounds
/// target (5 working days from referral).
///
/// Source: `shared/docs/domain/referrals.md` §4.2 ("count England and Wales working days,
/// excluding bank holidays"). The regular holidays follow the Banking and Financial Dealings
/// Act 1971 and royal proclamation: New Year's Day, Good Friday, Easter Monday, the first and
/// last Mondays of May, the last Monday of August, Christmas Day and Boxing Day, each moved to
/// the next weekday when it falls at a weekend. One-off proclamations are listed as data.
public enum EnglandAndWalesCalendar {
    /// Holidays proclaimed for one year only, and regular holidays moved by proclamation.
    /// Each moved holiday lists the day it replaced so that day becomes a working day.
    static let proclaimed: [Int: (added: [Day], removed: [Day])] = [
        1995: ([Day(year: 1995, month: 5, day: 8)!], [Day(year: 1995, month: 5, day: 1)!]),
        1999: ([Day(year: 1999, month: 12, day: 31)!], []),
        2002: ([Day(year: 2002, month: 6, day: 3)!, Day(year: 2002, month: 6, day: 4)!], [Day(year: 2002, month: 5, day: 27)!]),
        2011: ([Day(year: 2011, month: 4, day: 29)!], []),
        2012: ([Day(year: 2012, month: 6, day: 4)!, Day(year: 2012, month: 6, day: 5)!], [Day(year: 2012, month: 5, day: 28)!]),
        2020: ([Day(year: 2020, month: 5, day: 8)!], [Day(year: 2020, month: 5, day: 4)!]),
        2022: ([Day(year: 2022, month: 6, day: 2)!, Day(year: 2022, month: 6, day: 3)!, Day(year: 2022, month: 9, day: 19)!],
               [Day(year: 2022, month: 5, day: 30)!]),
        2023: ([Day(year: 2023, month: 5, day: 8)!], []),
    ]

    /// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    public static func easterSunday(_ year: Int) -> Day {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return Day(year: year, month: month, day: day)!
    }

    /// Every bank holiday in England and Wales in `year`, in date order.
    public static func bankHolidays(in year: Int) -> [Day] {
        var days: [Day] = []
        // New Year's Day, or the Monday after when it falls at a weekend.
        days.append(nextWeekday(from: Day(year: year, month: 1, day: 1)!))
        let easter = easterSunday(year)
        days.append(easter.adding(days: -2))
        days.append(easter.adding(days: 1))
        days.append(firstMonday(year: year, month: 5))
        days.append(lastMonday(year: year, month: 5))
        days.append(lastMonday(year: year, month: 8))
        // Christmas and Boxing Day with their substitutes.
        let christmas = Day(year: year, month: 12, day: 25)!
        switch christmas.weekday {
        case 6: // Saturday: Monday 27th and Tuesday 28th
            days += [christmas.adding(days: 2), christmas.adding(days: 3)]
        case 7: // Sunday: Boxing Day Monday 26th, Christmas substitute Tuesday 27th
            days += [christmas.adding(days: 1), christmas.adding(days: 2)]
        case 5: // Friday: Boxing Day falls on Saturday, substitute Monday 28th
            days += [christmas, christmas.adding(days: 3)]
        default:
            days += [christmas, christmas.adding(days: 1)]
        }
        if let changes = proclaimed[year] {
            days.removeAll { changes.removed.contains($0) }
            days += changes.added
        }
        return days.sorted()
    }

    private static let cache: [Int: Set<Day>] = {
        var map: [Int: Set<Day>] = [:]
        for year in 1990...2100 { map[year] = Set(bankHolidays(in: year)) }
        return map
    }()

    public static func isBankHoliday(_ day: Day) -> Bool {
        (cache[day.year] ?? Set(bankHolidays(in: day.year))).contains(day)
    }

    public static func isWorkingDay(_ day: Day) -> Bool {
        day.weekday <= 5 && !isBankHoliday(day)
    }

    /// The day `count` working days after `start` (the start day itself is not counted), so a
    /// referral made on a Friday has its 5-working-day target on the following Friday.
    public static func adding(workingDays count: Int, to start: Day) -> Day {
        var day = start, left = count
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    /// Working days after `start` up to and including `end` (0 when `end` is not later).
    public static func workingDays(from start: Day, to end: Day) -> Int {
        guard start < end else { return 0 }
        var count = 0, day = start
        while day < end {
            day = day.adding(days: 1)
            if isWorkingDay(day) { count += 1 }
        }
        return count
    }

    static func nextWeekday(from day: Day) -> Day {
        var d = day
        while d.weekday > 5 { d = d.adding(days: 1) }
        return d
    }

    static func firstMonday(year: Int, month: Int) -> Day {
        var d = Day(year: year, month: month, day: 1)!
        while d.weekday != 1 { d = d.adding(days: 1) }
        return d
    }

    static func lastMonday(year: Int, month: Int) -> Day {
        var d = Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!
        while d.weekday != 1 { d = d.adding(days: -1) }
        return d
    }
}

extension Day {
    /// ISO weekday: 1 is Monday, 7 is Sunday (1970-01-01 was a Thursday).
    public var weekday: Int {
        ((daysSinceEpoch % 7 + 7 + 3) % 7) + 1
    }
}
