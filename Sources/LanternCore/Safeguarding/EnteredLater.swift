/// A record that began before it was entered: last year's cases, or a move from an old system.
/// The day it began may be in the past, never the future, and a past day needs a reason, which
/// the audit log keeps (sealed: it may name people).
///
/// Source: the partnership issue, item 8 ("allow the opened or received date to be in the past,
/// with a reason, audited"); `shared/docs/domain/security.md` §4 (every change audited).
public enum EnteredLater {
    public static let earliest = Day(year: 2000, month: 1, day: 1)!

    public struct Checked: Sendable, Equatable {
        /// Nil when the field was left empty: the record begins now.
        public var day: Day?
        public var errors: [String: String] = [:]
        public var isBackdated: Bool { day != nil }
        public init(day: Day? = nil, errors: [String: String] = [:]) { self.day = day; self.errors = errors }
    }

    /// `what` names the date in messages ("opened", "received").
    public static func check(_ text: String, reason: String, today: Day, what: String, field: String, reasonField: String) -> Checked {
        var checked = Checked()
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            if !reason.isEmpty { checked.errors[field] = "Enter the day it was \(what), or leave the reason empty" }
            return checked
        }
        guard let day = Day(parsing: trimmed) else {
            checked.errors[field] = "Enter the day it was \(what) as a real date, like 2025-06-03, or leave it empty for today"
            return checked
        }
        if today < day { checked.errors[field] = "The day it was \(what) cannot be in the future" }
        else if day < earliest { checked.errors[field] = "The day it was \(what) cannot be before \(earliest.long)" }
        else if day < today {
            if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                checked.errors[reasonField] = "Say why it is entered later, such as \u{201C}moved from the old case system\u{201D}"
            } else if reason.count > 500 {
                checked.errors[reasonField] = "The reason must be 500 characters or fewer"
            }
            checked.day = day
        }
        return checked
    }
}
