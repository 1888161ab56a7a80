import Foundation
import Testing
@testable import LanternCore

@Suite("Two-way tables and cross-tabulations")
struct PartnershipStatisticsTests {
    @Test func aSmallCellIsHiddenWithPartnersInItsRowAndItsColumn() {
        let table = Suppression.table([[10, 2, 8], [7, 9, 12]], threshold: 5)
        #expect(table.cells[0][1] == .suppressed(threshold: 5))
        // Its row and its column each lose another cell, so neither total gives it away.
        #expect(table.cells[0].filter(\.isSuppressed).count >= 2)
        #expect([table.cells[0][1], table.cells[1][1]].filter(\.isSuppressed).count == 2)
        #expect(table.total == .shown(48))
    }

    @Test func atThresholdOneNothingIsHidden() {
        let table = Suppression.table([[16, 8], [1, 5]], threshold: 1)
        #expect(table.cells == [[.shown(16), .shown(8)], [.shown(1), .shown(5)]])
        #expect(table.rowTotals == [.shown(24), .shown(6)] && table.columnTotals == [.shown(17), .shown(13)] && table.total == .shown(30))
    }

    /// Every hidden cell of many small tables, attacked with every published total (a small cell
    /// 1 to N − 1, a withheld one anything): each must still have more than one value consistent
    /// with what is shown.
    @Test(arguments: [3, 5])
    func hiddenCellsCannotBeRecoveredFromRowsOrColumns(_ threshold: Int) {
        var rng = SeededGenerator(seed: 7)
        var attacked = 0
        for _ in 0..<400 {
            let counts = (0..<2).map { _ in (0..<3).map { _ in Int.random(in: 0...9, using: &rng) } }
            let table = Suppression.table(counts, threshold: threshold)
            let hidden = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)].filter { table.cells[$0.0][$0.1].isSuppressed }
            // Up to four hidden cells, so the search stays quick.
            guard !hidden.isEmpty, hidden.count <= 4 else { continue }
            attacked += 1
            var seen = [String: Set<Int>]()
            func fits(_ grid: [[Int]]) -> Bool {
                func check(_ published: PublishedCount, _ value: Int) -> Bool {
                    switch published {
                    case .shown(let n): n == value
                    case .suppressed(let t): value >= 1 && value < t
                    case .withheld: true
                    }
                }
                for i in 0..<2 where !check(table.rowTotals[i], grid[i].reduce(0, +)) { return false }
                for j in 0..<3 where !check(table.columnTotals[j], grid[0][j] + grid[1][j]) { return false }
                return check(table.total, grid.joined().reduce(0, +))
            }
            func search(_ k: Int, _ grid: [[Int]]) {
                if k == hidden.count {
                    if fits(grid) { for (i, j) in hidden { seen["\(i),\(j)", default: []].insert(grid[i][j]) } }
                    return
                }
                let (i, j) = hidden[k]
                let small = table.cells[i][j] != .withheld
                for value in (small ? 1 : 0)...(small ? threshold - 1 : 18) {
                    var next = grid
                    next[i][j] = value
                    search(k + 1, next)
                }
            }
            search(0, counts)
            // A line whose own total is below the threshold says only "fewer than N" of each part, as a
            // one-way table does; such cells are left out of the attack.
            for (i, j) in hidden where table.rowTotals[i].value != nil || table.rowTotals[i] == .withheld {
                guard table.columnTotals[j] != .suppressed(threshold: threshold) else { continue }
                #expect((seen["\(i),\(j)"]?.count ?? 0) > 1, "cell \(i),\(j) of \(counts) at \(threshold) can be recovered: \(table)")
            }
        }
        #expect(attacked > 60)
    }

    /// The metropolitan borough's cross: age by nationality among the 30 known on both.
    @Test func ageByNationalityAsThePartnershipPublishesIt() {
        let counts = ["British": ["Under 18": 16, "18 or over": 8], "Other nationalities": ["Under 18": 1, "18 or over": 5]]
        let cross = CrossTabulation(rows: ["British", "Other nationalities"], columns: ["Under 18", "18 or over"], counts: counts,
                                    notKnown: 16, threshold: 1)
        #expect(cross.rows[0].cells[0] == .init(count: .shown(16), percent: 67))
        #expect(cross.rows[1].cells[0] == .init(count: .shown(1), percent: 17))
        #expect(cross.rows[0].total == .shown(24) && cross.total == .shown(30) && cross.notKnown == .shown(16))
    }

    @Test func labelsTooSmallToPublishAreFoldedIntoOther() {
        let counts = ["British": ["Under 18": 16, "18 or over": 8], "Albanian": ["18 or over": 2], "Vietnamese": ["18 or over": 1],
                      "Romanian": ["Under 18": 1, "18 or over": 2]]
        let cross = CrossTabulation(rows: ["British", "Albanian", "Romanian", "Vietnamese"], columns: ["Under 18", "18 or over"],
                                    counts: counts, notKnown: 16, threshold: 5, otherRow: "Other nationalities")
        #expect(cross.rows.map(\.label) == ["British", "Other nationalities"])
        #expect(cross.folded == ["Albanian", "Romanian", "Vietnamese"])
        // 1 + 5 = 6: a shown 6 beside a withheld cell (5 or more) would give the 1 away.
        #expect(cross.rows[1].total == .withheld)
        #expect(cross.rows[1].cells[0].count == .suppressed(threshold: 5))
        #expect(cross.rows[1].cells[0].percent == nil)
    }

    @Test func aSmallNumberLeftOutWithholdsTheTotal() {
        let cross = CrossTabulation(rows: ["A", "B"], columns: ["X", "Y"], counts: ["A": ["X": 10, "Y": 12], "B": ["X": 9, "Y": 14]],
                                    notKnown: 2, threshold: 5)
        #expect(cross.notKnown == .suppressed(threshold: 5))
        #expect(cross.total == .withheld)
        // The total, withheld, is not simply the sum of the shown row totals.
        #expect(cross.rows.map(\.total).contains(.withheld) || cross.columnTotals.contains(.withheld))
    }
}

@Suite("Partners' data returns from CSV")
struct DataReturnImportTests {
    private func file(_ text: String) throws -> CSVFile { try CSVFile(data: Data(text.utf8)) }
    private let from = Day(year: 2023, month: 4, day: 1)!, to = Day(year: 2024, month: 3, day: 31)!

    @Test func codesAndLabelsAreReadAndBadRowsAreReportedByLine() throws {
        let csv = """
        date,exploitation_type,age_group,gender,nationality,area,outcome,source_kind
        2023-05-01,Criminal exploitation,under 18,M,UK,Central,NRM referral,
        01/06/2023,labour,adult,female,albanian,,investigation,police enquiry
        2024-04-02,criminal,child,male,British,,,
        2023-07-01,arson,teen,x,British,Nowhere,maybe,
        """
        let plan = DataReturnImport.plan(try file(csv), from: from, to: to, areas: ["Central", "North"], defaultSource: "police enquiry")
        #expect(plan.newRows.count == 2)
        #expect(plan.newRows[0].category == .criminal && plan.newRows[0].ageGroup == .child && plan.newRows[0].nationality == "British")
        #expect(plan.newRows[0].area == "Central" && plan.newRows[0].outcome == .nrmReferral && plan.newRows[0].sourceKind == "police enquiry")
        #expect(plan.newRows[1].occurredOn == Day(year: 2023, month: 6, day: 1) && plan.newRows[1].nationality == "Albanian")
        #expect(plan.rejected.map(\.line) == [4, 5])
        #expect(plan.rejected[0].reason.contains("outside the return's period"))
        let fifth = plan.rejected[1].reason
        for words in ["exploitation_type 'arson'", "age_group 'teen'", "gender 'x'", "outcome 'maybe'", "not on the organisation's list of areas"] {
            #expect(fifth.contains(words), "\(fifth)")
        }
        #expect(!plan.canImport)
    }

    @Test func aMissingColumnStopsTheFileAtLineOne() throws {
        let plan = DataReturnImport.plan(try file("when,type\n2023-05-01,criminal\n"), from: from, to: to, areas: [], defaultSource: "x")
        #expect(plan.rejected.first?.line == 1)
        #expect(plan.rejected.first?.reason.contains("'date', 'exploitation_type'") == true)
    }
}

/// A small deterministic generator (SplitMix64), so the sampled tables are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
