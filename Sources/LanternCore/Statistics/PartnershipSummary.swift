/// The written summary of a period's partnership figures, in the style partnership papers and
/// annual statements use ("46 enquiries: criminal exploitation 34 (74%) …"). It is written from
/// already-published figures, so a suppressed cell reads "fewer than 5" here too and nothing
/// the tables hide can appear in the prose.
///
/// Source: the partnership statistics issue (a short written summary for the statement and for
/// partnership papers); `shared/docs/domain/referrals.md` §6 for the cuts.
public struct PartnershipSummary: Sendable, Equatable {
    public var period: String
    public var previousPeriod: String
    public var concerns: String
    public var cases: String
    public var previousCases: String
    /// `Breakdown.sentence` of cases by exploitation type.
    public var byType: String
    public var countyLines: String
    public var countyLinesPercent: Int?
    public var nrmReferrals: String
    public var dutyToNotify: String
    public var rgDecisions: String
    public var rgPositive: String

    public init(period: String, previousPeriod: String, concerns: String, cases: String, previousCases: String, byType: String,
                countyLines: String, countyLinesPercent: Int?, nrmReferrals: String, dutyToNotify: String,
                rgDecisions: String, rgPositive: String) {
        self.period = period
        self.previousPeriod = previousPeriod
        self.concerns = concerns
        self.cases = cases
        self.previousCases = previousCases
        self.byType = byType
        self.countyLines = countyLines
        self.countyLinesPercent = countyLinesPercent
        self.nrmReferrals = nrmReferrals
        self.dutyToNotify = dutyToNotify
        self.rgDecisions = rgDecisions
        self.rgPositive = rgPositive
    }

    public var text: String {
        var sentences = ["In \(period) the partnership received \(concerns) \(plural(concerns, "concern")) and opened \(cases) \(plural(cases, "case")) (\(previousCases) in \(previousPeriod))."]
        if cases != "0" { sentences.append("By exploitation type, " + byType.prefix(1).lowercased() + byType.dropFirst()) }
        if countyLines != "0" {
            sentences.append("Of the criminal exploitation cases, \(countyLines)" + (countyLinesPercent.map { " (\($0)%)" } ?? "") + " involved county lines.")
        }
        sentences.append("\(nrmReferrals.sentenceCased) National Referral Mechanism \(plural(nrmReferrals, "referral")) and \(dutyToNotify) Duty to Notify \(plural(dutyToNotify, "notification")) \(nrmReferrals == "1" && dutyToNotify == "1" ? "was" : "were") submitted.")
        if rgDecisions != "0" {
            sentences.append("Of \(rgDecisions) Reasonable Grounds \(plural(rgDecisions, "decision")), \(rgPositive) \(rgPositive == "1" ? "was" : "were") positive.")
        }
        return sentences.joined(separator: " ")
    }

    private func plural(_ count: String, _ noun: String) -> String { count == "1" ? noun : noun + "s" }
}
