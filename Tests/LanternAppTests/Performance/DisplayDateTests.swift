import Foundation
import LanternCore
import Testing
@testable import LanternApp

/// Dates in words are written by `Day`, not ICU; the words must be ICU's en_GB long date.
@Suite("Dates in words")
struct DisplayDateTests {
    @Test func aDayInWordsIsWhatICUWritesInBritishEnglish() {
        let icu = Date.FormatStyle(date: .long, time: .omitted, locale: Locale(identifier: "en_GB"),
                                   calendar: .ukCivil, timeZone: Calendar.ukCivil.timeZone)
        // Every day of five years, just after midnight and just before it in UTC: on either side
        // of the day's change in London, in winter and in summer time.
        let start = Date(timeIntervalSince1970: 1_704_067_200) // 2024-01-01T00:00:00Z
        for day in 0..<(5 * 366) {
            for offset in [30.0 * 60, 23.5 * 3600] {
                let date = start.addingTimeInterval(Double(day) * 86_400 + offset)
                #expect(DisplayDate.date(date) == date.formatted(icu), "\(date)")
            }
        }
    }
}

extension DisplayDateTests {
    /// Times are kept by the minute once written; a kept one is what ICU writes for any second of it.
    @Test func aTimeIsWrittenAsICUWritesItWhetherOrNotItWasKept() {
        let icu = Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: "en_GB"),
                                   calendar: .ukCivil, timeZone: Calendar.ukCivil.timeZone)
        let start = Date(timeIntervalSince1970: 1_774_744_200) // 2026-03-29T00:30:00Z, the night the clocks go forward
        for step in 0..<200 {
            let date = start.addingTimeInterval(Double(step) * 59.5)
            #expect(DisplayDate.dateTime(date) == date.formatted(icu), "\(date)")
            #expect(DisplayDate.dateTime(date.addingTimeInterval(0.25)) == date.addingTimeInterval(0.25).formatted(icu))
        }
    }
}
