import Foundation
import LanternCore
import NIOConcurrencyHelpers

/// Dates and times as pages show them: in UK civil time, in words ("6 December 2026").
enum DisplayDate {
    private static let dateAndTime = Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: "en_GB"),
                                                      calendar: .ukCivil, timeZone: Calendar.ukCivil.timeZone)
    /// Written times by the minute since 1970: a case page writes twenty and the same records are
    /// read again and again, and ICU's formatting of each was a percent of the page. Bounded.
    private static let written = NIOLockedValueBox<[Int: String]>([:])

    static func dateTime(_ date: Date) -> String {
        let minute = Int((date.timeIntervalSince1970 / 60).rounded(.down))
        if let known = written.withLockedValue({ $0[minute] }) { return known }
        let text = date.formatted(dateAndTime)
        written.withLockedValue { written in
            if written.count >= 8192 { written.removeAll(keepingCapacity: true) }
            written[minute] = text
        }
        return text
    }

    /// The UK civil day in words, as `Day` writes it: the words `Date.FormatStyle(date: .long)`
    /// gives in en_GB, without ICU, whose formatting was a fifth of a list page's rows.
    static func date(_ date: Date) -> String { Day(date).long }
}
