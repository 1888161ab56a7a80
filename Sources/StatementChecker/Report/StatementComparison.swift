import Foundation

/// A supplier's statement against the one checked before it: the criteria it gained and lost,
/// the period it now covers, and the sentences behind each change (the newer statement's for a
/// gain, the older one's for a loss, so the reader sees what was said and what went).
public struct StatementComparison: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public let id: String
        public let title: String
        public let from: StatementReport.Verdict
        public let to: StatementReport.Verdict
        /// The sentences that carried the criterion where it was met.
        public let sentences: [String]
    }

    public let gained: [Change]
    public let lost: [Change]
    public let previousPeriod: String?
    public let period: String?

    public var periodChanged: Bool { previousPeriod != period }

    public init(previous: StatementReport, latest: StatementReport) {
        let before = Dictionary(previous.ukCriteria.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var gained: [Change] = [], lost: [Change] = []
        for now in latest.ukCriteria {
            guard let then = before[now.id], then.verdict != now.verdict else { continue }
            if now.verdict == .met {
                gained.append(Change(id: now.id, title: now.title, from: then.verdict, to: now.verdict, sentences: now.evidence.filter { $0.status == .done }.map(\.sentence)))
            } else if then.verdict == .met {
                lost.append(Change(id: now.id, title: now.title, from: then.verdict, to: now.verdict, sentences: then.evidence.filter { $0.status == .done }.map(\.sentence)))
            }
        }
        self.gained = gained
        self.lost = lost
        previousPeriod = Self.period(previous.facts)
        period = Self.period(latest.facts)
    }

    static func period(_ f: StatementReport.Facts) -> String? {
        f.periodStart.map { "\($0) to \(f.periodEnd ?? "?")" } ?? f.periodEnd.map { "year ending \($0)" }
    }
}
