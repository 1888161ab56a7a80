import Foundation
import LanternCore

/// Dates and times as pages show them: in UK civil time, in words ("6 December 2026").
enum DisplayDate {
    static func dateTime(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: "en_GB"),
                                        calendar: .ukCivil, timeZone: Calendar.ukCivil.timeZone))
    }

    static func date(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .long, time: .omitted, locale: Locale(identifier: "en_GB"),
                                        calendar: .ukCivil, timeZone: Calendar.ukCivil.timeZone))
    }
}
