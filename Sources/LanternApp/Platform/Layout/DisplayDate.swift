import Foundation
import LanternCore

/// Dates and times as pages show them: in UK civil time, in words ("6 December 2026").
enum DisplayDate {
    static func dateTime(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: "en_GB"),
                                        calendar: .ukCivil, timeZone: Calendar.ukCivil.timeZone))
    }

    /// The UK civil day in words, as `Day` writes it: the words `Date.FormatStyle(date: .long)`
    /// gives in en_GB, without ICU, whose formatting was a fifth of a list page's rows.
    static func date(_ date: Date) -> String { Day(date).long }
}
