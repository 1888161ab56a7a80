import Foundation
import Testing
@testable import LanternCore

@Suite("Published percentages and suppression")
struct PublishedFiguresTests {
    @Test func percentagesAreWholeAndRoundHalfUp() {
        #expect(PublishedRounding.percent(34, of: 46) == 74)
        #expect(PublishedRounding.percent(7, of: 46) == 15)
        #expect(PublishedRounding.percent(1, of: 8) == 13)   // 12.5 → 13
        #expect(PublishedRounding.percent(1, of: 200) == 1)  // 0.5 → 1
        #expect(PublishedRounding.percent(1, of: 201) == 0)  // 0.497 → 0
        #expect(PublishedRounding.percent(0, of: 5) == 0)
        #expect(PublishedRounding.percent(3, of: 0) == nil)
    }

    @Test func onlyLabelsThatReachTheThresholdAreNamed() {
        let counts = ["Albanian": 6, "Eritrean": 1, "Vietnamese": 5, "Sudanese": 4, "Polish": 9]
        #expect(Breakdown.namedLabels(counts, threshold: 5, limit: 5) == ["Polish", "Albanian", "Vietnamese"])
        #expect(Breakdown.namedLabels(counts, threshold: 5, limit: 2) == ["Polish", "Albanian"])
        #expect(Breakdown.namedLabels(counts, threshold: 2, limit: 5) == ["Polish", "Albanian", "Vietnamese", "Sudanese"])
        #expect(Breakdown.namedLabels(counts, threshold: 1, limit: 9).count == 5, "with suppression off every label may be named")
        #expect(Breakdown.namedLabels(["B": 5, "A": 5], threshold: 5, limit: 5) == ["A", "B"], "ties by label")
    }

    @Test func smallCellsAreHiddenButZerosAreShown() {
        let result = Suppression.apply([34, 7, 3, 0, 2])
        #expect(result.cells == [.shown(34), .withheld, .suppressed(threshold: 5), .shown(0), .suppressed(threshold: 5)])
        #expect(result.total == .shown(46))
        #expect(result.secondary == [1])
        #expect(result.cells[2].description == "fewer than 5")
    }

    @Test func aHiddenCellTakesTheSmallestOtherWithIt() {
        let result = Suppression.apply([34, 7, 3, 0])
        #expect(result.cells == [.shown(34), .withheld, .suppressed(threshold: 5), .shown(0)])
        #expect(result.secondary == [1])
        #expect(result.cells[1].description == "withheld")
    }

    @Test func aSmallTotalHidesEverything() {
        let result = Suppression.apply([2, 1, 0])
        #expect(result.total == .suppressed(threshold: 5))
        #expect(result.cells == [.suppressed(threshold: 5), .suppressed(threshold: 5), .shown(0)])
    }

    @Test func theThresholdIsConfigurable() {
        #expect(Suppression.apply([9, 20], threshold: 10).cells == [.suppressed(threshold: 10), .withheld])
        #expect(Suppression.apply([9, 20], threshold: 3).cells == [.shown(9), .shown(20)])
    }

    @Test func hiddenCellsThatCouldBeWorkedOutWithholdMore() {
        #expect(Suppression.apply([1, 1, 20]).cells == [.suppressed(threshold: 5), .suppressed(threshold: 5), .withheld])
        #expect(Suppression.apply([4, 4, 20, 30]).secondary == [2])
        #expect(Suppression.apply([3, 4, 20]).secondary == [2])
        // Nothing else to hide with them: the whole group is withheld.
        #expect(Suppression.apply([0, 1, 5]).cells == [.withheld, .withheld, .withheld])
        #expect(Suppression.apply([0, 1, 5]).total == .withheld)
        // One partner is not enough here (the 1 would be 6 − 5): the next is withheld too,
        // rather than the whole group, whose 100 tells nothing.
        #expect(Suppression.apply([1, 5, 6, 100]).cells == [.suppressed(threshold: 5), .withheld, .withheld, .shown(100)])
        #expect(Suppression.apply([1, 5, 6, 100]).total == .shown(112))
    }

    /// At 2 a small cell can only be 1, as "fewer than 2" says: nothing else is withheld for it,
    /// so the lowest threshold never withholds more than a higher one (it withheld the whole
    /// nationality table, British 24 included, where 5 showed it).
    @Test func atTwoOnlyTheOnesAreHidden() {
        let result = Suppression.apply([24, 2, 1, 16], threshold: 2)
        #expect(result.cells == [.shown(24), .shown(2), .suppressed(threshold: 2), .shown(16)])
        #expect(result.total == .shown(43) && result.secondary.isEmpty)
        #expect(Suppression.apply([1], threshold: 2).total == .suppressed(threshold: 2))
    }

    /// An attacker knows every shown cell, the total, that a "fewer than 5" cell holds 1 to 4 and
    /// that a withheld cell holds some number. For each published table, every full table that
    /// fits is a candidate; each hidden cell must take more than one value across them.
    @Test func mediansComeFromGroupedCountsAndNeedEnoughDecisions() {
        #expect(PublishedMedian.of([3: 1, 5: 1, 9: 1]) == 5)
        #expect(PublishedMedian.of([3: 2, 9: 2]) == 6, "an even count takes the mean of the middle two")
        #expect(PublishedMedian.of([4: 1, 5: 1]) == 4.5)
        #expect(PublishedMedian.of([2: 10, 40: 1]) == 2)
        #expect(PublishedMedian.of([:]) == nil)
        #expect(PublishedMedian.of([3: 2, 4: 2], threshold: 5) == nil, "four decisions are too few to publish at 5")
        #expect(PublishedMedian.of([3: 2, 4: 3], threshold: 5) == 4)
        #expect(PublishedMedian.days(4.5) == "4.5 days" && PublishedMedian.days(1) == "1 day" && PublishedMedian.days(nil) == "not published")
    }

    @Test(arguments: [3, 5])
    func hiddenCellsCannotBeRecoveredFromTheTotals(_ threshold: Int) {
        var tables = 0
        for a in 0...9 { for b in 0...9 { for c in 0...9 { for d in 0...6 {
            let counts = [a, b, c, d]
            let published = Suppression.apply(counts, threshold: threshold)
            let hidden = published.cells.indices.filter { published.cells[$0].isSuppressed }
            guard !hidden.isEmpty else { continue }
            tables += 1
            let bound = published.total.value.map { $0 - published.cells.compactMap(\.value).reduce(0, +) } ?? 20
            var seen = Array(repeating: Set<Int>(), count: counts.count)
            func search(_ position: Int, _ candidate: [Int], _ left: Int) {
                if position == hidden.count {
                    if published.total.value != nil && left != 0 { return }
                    for index in hidden { seen[index].insert(candidate[index]) }
                    return
                }
                // A withheld cell may be anything, zero included; a small one is at least 1.
                let isSmall = published.cells[hidden[position]] != .withheld
                let lowest = isSmall ? 1 : 0, highest = isSmall ? min(threshold - 1, left) : left
                guard lowest <= highest else { return }
                for value in lowest...highest {
                    var next = candidate
                    next[hidden[position]] = value
                    search(position + 1, next, left - value)
                }
            }
            search(0, counts, bound)
            for index in hidden {
                #expect(seen[index].count > 1, "cell \(index) of \(counts) can be recovered: only \(seen[index])")
            }
        } } } }
        #expect(tables > 1000)
    }
}

@Suite("Breakdowns and multi-type counting")
struct BreakdownTests {
    @Test func percentagesAreOfTheKnownWithTheUnknownBeside() {
        let b = Breakdown(title: "Exploitation type", categories: [("Criminal exploitation", 34), ("Labour exploitation", 7), ("Sexual exploitation", 5)], unknown: 6)
        #expect(b.total == .shown(52))
        #expect(b.known == .shown(46))
        #expect(b.rows.map(\.percent) == [74, 15, 11])
        #expect(b.sentence(noun: "enquiries") == "52 enquiries: criminal exploitation 34 (74%), labour exploitation 7 (15%), sexual exploitation 5 (11%); 6 not known.")
    }

    @Test func aHiddenUnknownHidesTheKnownTotalToo() {
        let b = Breakdown(title: "Gender", categories: [("Female", 20), ("Male", 30)], unknown: 2)
        #expect(b.unknown.isSuppressed)
        #expect(b.known.isSuppressed)
        // The smallest other cell goes too, so neither the unknowns nor it can be subtracted out.
        #expect(b.rows[0].count.isSuppressed && b.rows[0].percent == nil)
        #expect(b.rows[1].count == .shown(30) && b.rows[1].percent == nil)
        #expect(b.sentence(noun: "cases") == "52 cases: male 30, female withheld; fewer than 5 not known.")
    }

    @Test func casesWithSeveralTypesCountUnderEachWithOnlyAndWithOthers() {
        let splits = MultiTypeCount.split([
            [.labour]: 7, [.criminal]: 30, [.criminal, .sexual]: 4, [.labour, .criminal]: 2, []: 3,
        ])
        let criminal = splits.first { $0.category == .criminal }!
        #expect(criminal.total == 36 && criminal.only == 30 && criminal.withOthers == 6)
        let labour = splits.first { $0.category == .labour }!
        #expect(labour.total == 9 && labour.only == 7 && labour.withOthers == 2)
        #expect(splits.first { $0.category == .otherOrUnknown }!.only == 3)
        #expect(MultiTypeCount.categories(ofStored: "forced_to_work,wages_taken,forced_crime") == [.labour, .criminal])
    }
}

@Suite("Report periods")
struct ReportPeriodTests {
    private func d(_ s: String) -> Day { Day(parsing: s)! }

    @Test func financialYearsAndQuartersAndWhatTheyAreComparedWith() {
        let year = ReportPeriod.financialYear(endYear: 2026)
        #expect(year.start == d("2025-04-01") && year.end == d("2026-04-01"))
        #expect(year.previous.start == d("2024-04-01") && year.previous.end == d("2025-04-01"))
        let q4 = ReportPeriod.quarter(4, endYear: 2026)
        #expect(q4.start == d("2026-01-01") && q4.end == d("2026-04-01"))
        #expect(q4.previous.start == d("2025-10-01"))
        // A leap day sits inside the right year.
        let leap = ReportPeriod.financialYear(endYear: 2024)
        #expect(leap.start == d("2023-04-01") && leap.end == d("2024-04-01"))
        #expect(leap.start.days(until: leap.end) == 366)
        // A calendar-year organisation.
        let calendar = ReportPeriod.financialYear(endYear: 2026, endMonth: 12, endDay: 31)
        #expect(calendar.start == d("2026-01-01") && calendar.end == d("2027-01-01"))
    }

    @Test func customPeriodsIncludeBothEndsAndCompareWithTheDaysBefore() {
        let p = ReportPeriod.custom(from: d("2026-06-01"), to: d("2026-06-30"))!
        #expect(p.end == d("2026-07-01"))
        #expect(p.previous.start == d("2026-05-02") && p.previous.end == d("2026-06-01"))
        #expect(ReportPeriod.custom(from: d("2026-06-02"), to: d("2026-06-01")) == nil)
        // Midnight UK time, in summer time too.
        #expect(ReportPeriod.instant(d("2026-07-01")) == Date(timeIntervalSince1970: 1_782_860_400))
    }
}

@Suite("The written partnership summary")
struct PartnershipSummaryTests {
    @Test func itReadsLikeAPartnershipPaperAndKeepsSuppression() {
        let breakdown = Breakdown(title: "", categories: [("Criminal exploitation", 34), ("Labour exploitation", 7), ("Sexual exploitation", 5)],
                                  unknown: 0)
        let summary = PartnershipSummary(
            period: "2025 to 2026", previousPeriod: "2024 to 2025", concerns: "120", cases: "46", previousCases: "39",
            byType: breakdown.sentence(noun: "cases opened"), countyLines: "12", countyLinesPercent: 35,
            nrmReferrals: "fewer than 5", dutyToNotify: "6", rgDecisions: "9", rgPositive: "8")
        #expect(summary.text.hasPrefix("In 2025 to 2026 the partnership received 120 concerns and opened 46 cases (39 in 2024 to 2025)."))
        #expect(summary.text.contains("By exploitation type, 46 cases opened: criminal exploitation 34 (74%), labour exploitation 7 (15%), sexual exploitation 5 (11%)."))
        #expect(summary.text.contains("Of the criminal exploitation cases, 12 (35%) involved county lines."))
        #expect(summary.text.contains("Fewer than 5 National Referral Mechanism referrals and 6 Duty to Notify notifications were submitted."))
        #expect(summary.text.contains("Of 9 Reasonable Grounds decisions, 8 were positive."))
    }

    @Test func singularsAndEmptyPeriods() {
        let summary = PartnershipSummary(period: "Q1", previousPeriod: "Q4", concerns: "1", cases: "0", previousCases: "0", byType: "0 cases opened.",
                                         countyLines: "0", countyLinesPercent: nil, nrmReferrals: "0", dutyToNotify: "0", rgDecisions: "0", rgPositive: "0")
        #expect(summary.text == "In Q1 the partnership received 1 concern and opened 0 cases (0 in Q4). 0 National Referral Mechanism referrals and 0 Duty to Notify notifications were submitted.")
    }
}
