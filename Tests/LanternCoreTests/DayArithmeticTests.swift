import Foundation
import Testing
@testable import LanternCore

/// Day arithmetic is counted in civil days without a calendar; it must agree with Foundation's
/// Gregorian calendar in UK civil time on every day.
@Suite("Day arithmetic")
struct DayArithmeticTests {
    @Test func addingDaysAgreesWithTheCalendar() {
        let calendar = Calendar.ukCivil
        var day = Day(year: 1900, month: 1, day: 1)!
        // Every day from 1900 to 2199: leap years, the 1900 and 2100 non-leap years, 2000's leap day.
        for _ in 0..<(300 * 365) {
            let next = Day(calendar.date(byAdding: .day, value: 1, to: day.noon)!)
            #expect(day.adding(days: 1) == next, "\(day)")
            day = next
        }
        let start = Day(year: 2026, month: 3, day: 29)!
        for offset in [-800, -366, -365, -1, 0, 1, 2, 31, 365, 366, 10_000] {
            #expect(start.adding(days: offset) == Day(calendar.date(byAdding: .day, value: offset, to: start.noon)!), "\(offset)")
            #expect(start.days(until: start.adding(days: offset)) == offset)
        }
    }

    @Test func daysSinceTheEpochRoundTrip() {
        #expect(Day(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
        #expect(Day(daysSinceEpoch: 0) == Day(year: 1970, month: 1, day: 1)!)
        #expect(Day(year: 2026, month: 12, day: 7)!.weekday == 1)
        for days in stride(from: -30_000, through: 90_000, by: 7) {
            #expect(Day(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }
}
