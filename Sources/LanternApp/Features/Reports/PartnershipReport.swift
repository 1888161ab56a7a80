import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// The raw counts for one period, counted in the database with GROUP BY: only the groups come
/// back, never rows about people.
struct PeriodCounts: Sendable {
    var typeCombinations: [Set<ExploitationCategory>: Int] = [:]
    var cases = 0
    var ages: [String: Int] = [:]
    var genders: [String: Int] = [:]
    var nationalities: [String: Int] = [:]
    var routes: [String: Int] = [:]
    var sources: [String: Int] = [:]
    var concerns = 0
    /// Criminal exploitation cases flagged as county lines.
    var countyLines = 0
    var criminal = 0
    /// Decisions made in the period: outcome ("positive"/"negative") and days from submission → count.
    var reasonableGrounds = Decisions()
    var conclusiveGrounds = Decisions()

    struct Decisions: Sendable {
        var outcomes: [String: Int] = [:]
        var days: [Int: Int] = [:]
    }

    static func count(on db: any Database, _ period: ReportPeriod) async throws -> PeriodCounts {
        let sql = db as! any SQLDatabase
        let start = ReportPeriod.instant(period.start), end = ReportPeriod.instant(period.end)
        // Instants are compared with instants; days stored as ISO text with ISO text.
        func grouped(_ table: String, _ column: String, dateColumn: String, isoDay: Bool = false) async throws -> [String: Int] {
            let from: any SQLExpression = isoDay ? SQLBind(period.start.iso) : SQLBind(start)
            let to: any SQLExpression = isoDay ? SQLBind(period.end.iso) : SQLBind(end)
            let query = sql.select().column(SQLColumn(column), as: "k").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(table).where(SQLColumn(dateColumn), .greaterThanOrEqual, from).where(SQLColumn(dateColumn), .lessThan, to)
            var result: [String: Int] = [:]
            for row in try await query.groupBy(SQLColumn(column)).all() {
                result[(try row.decode(column: "k", as: String?.self)) ?? ""] = try row.decode(column: "n", as: Int.self)
            }
            return result
        }
        var counts = PeriodCounts()
        // One pass over the period's cases, grouped by the coarse columns at once (about a
        // thousand groups), read in the order of an index that leads with them; each breakdown is
        // summed from the groups. Each group comes back as one joined text: decoding a column is
        // dearer than the query's own work at this size.
        let groupColumns = ["exploitation_types", "under18_at_exploitation", "gender", "nationality", "county_lines"]
        var caseGroups = sql.select().column(Joined(columns: groupColumns, separator: Joined.separator), as: "k")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SafeguardingCase.schema).where("opened_at", .greaterThanOrEqual, start).where("opened_at", .lessThan, end)
        for column in groupColumns { caseGroups = caseGroups.groupBy(SQLColumn(column)) }
        for row in try await caseGroups.all() {
            let n = try row.decode(column: "n", as: Int.self)
            let parts = try row.decode(column: "k", as: String.self).split(separator: Joined.separator, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == groupColumns.count else { continue }
            counts.cases += n
            let categories = MultiTypeCount.categories(ofStored: parts[0])
            counts.typeCombinations[categories, default: 0] += n
            if categories.contains(.criminal) {
                counts.criminal += n
                if parts[4] == "1" || parts[4] == "true" { counts.countyLines += n }
            }
            counts.ages[parts[1], default: 0] += n
            counts.genders[parts[2], default: 0] += n
            counts.nationalities[parts[3], default: 0] += n
        }
        counts.routes = try await grouped(HomeOfficeReferral.schema, "kind", dateColumn: "submitted_on", isoDay: true)
        for (channel, n) in try await grouped(Concern.schema, "channel", dateColumn: "received_at") {
            counts.sources[ConcernChannel(rawValue: channel)?.source ?? "public", default: 0] += n
            counts.concerns += n
        }
        counts.reasonableGrounds = try await decisions(sql, outcome: "rg_positive", decidedOn: "rg_decision_on", period)
        counts.conclusiveGrounds = try await decisions(sql, outcome: "cg_positive", decidedOn: "cg_decision_on", period)
        return counts
    }

    /// Decisions dated in the period, grouped by outcome and by whole days from submission.
    private static func decisions(_ sql: any SQLDatabase, outcome: String, decidedOn: String, _ period: ReportPeriod) async throws -> Decisions {
        let days = DaysBetween(from: "submitted_on", to: decidedOn, postgres: sql.dialect.name == "postgresql")
        let rows = try await sql.select().column(SQLColumn(outcome), as: "k").column(days, as: "d")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(HomeOfficeReferral.schema)
            .where(SQLColumn(decidedOn), .greaterThanOrEqual, SQLBind(period.start.iso)).where(SQLColumn(decidedOn), .lessThan, SQLBind(period.end.iso))
            .where(SQLColumn(outcome), .isNot, SQLLiteral.null)
            .groupBy(SQLColumn(outcome)).groupBy(days).all()
        var result = Decisions()
        for row in rows {
            let n = try row.decode(column: "n", as: Int.self)
            result.outcomes[try row.decode(column: "k", as: Bool.self) ? "positive" : "negative", default: 0] += n
            if let d = try row.decode(column: "d", as: Int?.self), d >= 0 { result.days[d, default: 0] += n }
        }
        return result
    }
}

/// Whole days between two ISO dates stored as text, in each engine's own date arithmetic.
struct DaysBetween: SQLExpression {
    let from: String, to: String, postgres: Bool
    func serialize(to serializer: inout SQLSerializer) {
        if postgres {
            serializer.write("(CAST("); SQLColumn(to).serialize(to: &serializer); serializer.write(" AS date) - CAST(")
            SQLColumn(from).serialize(to: &serializer); serializer.write(" AS date))")
        } else {
            serializer.write("CAST(julianday("); SQLColumn(to).serialize(to: &serializer); serializer.write(") - julianday(")
            SQLColumn(from).serialize(to: &serializer); serializer.write(") AS INTEGER)")
        }
    }
}

/// `a || '␟' || b || …`: several columns as one text, joined by the unit separator (which no
/// stored value holds). Both engines accept it over grouped columns.
struct Joined: SQLExpression {
    static let separator: Character = "\u{1F}"
    let columns: [String], separator: Character
    func serialize(to serializer: inout SQLSerializer) {
        for (i, column) in columns.enumerated() {
            if i > 0 { serializer.write(" || "); SQLLiteral.string(String(separator)).serialize(to: &serializer); serializer.write(" || ") }
            // A NULL column (no area, no second nationality) would make the whole key NULL.
            serializer.write("COALESCE(CAST(")
            SQLColumn(column).serialize(to: &serializer)
            serializer.write(" AS TEXT), '')")
        }
    }
}

/// The partnership's anonymised figures for a period beside the one before, suppressed before
/// display. Sources: `shared/docs/domain/referrals.md` §6 (the national cuts).
struct PartnershipReport: Codable, Sendable {
    struct Table: Codable, Sendable {
        struct Row: Codable, Sendable { let label: String; let count: String; let percent: String; let previous: String }
        let title: String
        let rows: [Row]
        let unknown: String
        let total: String
        let previousTotal: String
        let note: String
        let chart: String
    }

    struct TypeRow: Codable, Sendable { let label: String; let total: String; let only: String; let withOthers: String; let percent: String; let previous: String }
    /// A published median: days from submission to a decision.
    struct Timing: Codable, Sendable { let label: String; let median: String; let previous: String }

    let period: String
    let comparedWith: String
    let cases: String
    let previousCases: String
    let concerns: String
    let summary: String
    /// A paragraph in the style of partnership papers, for the annual statement and reports.
    let paragraph: String
    let types: [TypeRow]
    /// Criminal exploitation cases involving county lines, and their share of criminal exploitation.
    let countyLines: String
    let countyLinesShare: String
    let previousCountyLines: String
    let timings: [Timing]
    let typeChart: String
    let trendChart: String
    let tables: [Table]
    let threshold: Int

    static func build(on db: any Database, period: ReportPeriod, threshold: Int, trendEnd: ReportPeriod? = nil) async throws -> PartnershipReport {
        let now = try await PeriodCounts.count(on: db, period)
        let before = try await PeriodCounts.count(on: db, period.previous)
        func published(_ n: Int) -> String { Suppression.apply([n], threshold: threshold).total.description }

        let splits = MultiTypeCount.split(now.typeCombinations)
        let previousSplits = MultiTypeCount.split(before.typeCombinations)
        // The types' totals are one group, suppressed together, and the written summary is made
        // from the same cells: a total withheld there is withheld in the table and the chart too.
        let typeBreakdown = Breakdown(title: "", categories: splits.map { ($0.category.label, $0.total) }, unknown: 0, threshold: threshold)
        let typeTotals = typeBreakdown.rows.map(\.count)
        let types = splits.indices.map { i -> TypeRow in
            let split = splits[i], total = typeTotals[i]
            // "Only" and "with other types" add up to the total, so a withheld total withholds both.
            let pair = Suppression.apply([split.only, split.withOthers], threshold: threshold)
            let cells = total == .withheld ? [PublishedCount.withheld, .withheld] : pair.cells
            let previous = previousSplits.first { $0.category == split.category }?.total ?? 0
            return TypeRow(label: split.category.label, total: total.description, only: cells[0].description, withOthers: cells[1].description,
                           percent: total.value.flatMap { PublishedRounding.percent($0, of: now.cases) }.map { "\($0)%" } ?? "",
                           previous: published(previous))
        }

        func table(_ title: String, id: String, categories: [(String, String)], _ current: [String: Int], _ previous: [String: Int],
                   unknownKey: String?, note: String = "") -> Table {
            let b = Breakdown(title: title, categories: categories.map { ($0.1, current[$0.0] ?? 0) },
                              unknown: unknownKey.map { current[$0] ?? 0 } ?? 0, threshold: threshold)
            let p = Breakdown(title: title, categories: categories.map { ($0.1, previous[$0.0] ?? 0) },
                              unknown: unknownKey.map { previous[$0] ?? 0 } ?? 0, threshold: threshold)
            return Table(title: title, rows: b.rows.indices.map { i in
                             Table.Row(label: b.rows[i].label, count: b.rows[i].count.description, percent: b.rows[i].percent.map { "\($0)%" } ?? "",
                                       previous: p.rows[i].count.description)
                         },
                         unknown: b.unknown.description, total: b.total.description, previousTotal: p.total.description, note: note,
                         chart: Charts.bars(id: id, title: "\(title), \(period.label)",
                                            bars: b.rows.map { Charts.Bar(label: $0.label, value: $0.count.value, display: $0.count.description) }))
        }
        // The UK and up to five other nationalities this period that reach the threshold; the rest
        // together, so a rare nationality is never named.
        let others = now.nationalities.filter { $0.key != "British" && $0.key != "Unknown" }
        let top = Breakdown.namedLabels(others, threshold: threshold, limit: 5)
        func folded(_ counts: [String: Int]) -> [String: Int] {
            var result: [String: Int] = ["British": counts["British"] ?? 0, "Unknown": counts["Unknown"] ?? 0]
            for (k, v) in counts where k != "British" && k != "Unknown" { result[top.contains(k) ? k : "Other nationalities", default: 0] += v }
            return result
        }
        let nationalityCategories = [("British", "United Kingdom (British)")] + top.map { ($0, $0) }
            + (others.count > top.count ? [("Other nationalities", "Other nationalities")] : [])

        // County lines within criminal exploitation: one group of two cells whose total is the criminal count.
        func countyLines(_ counts: PeriodCounts) -> Suppression.Result {
            Suppression.apply([counts.countyLines, counts.criminal - counts.countyLines], threshold: threshold)
        }
        let lines = countyLines(now)
        let linesShare = lines.cells[0].value != nil && lines.total.value != nil
            ? PublishedRounding.percent(now.countyLines, of: now.criminal).map { "\($0)% of criminal exploitation cases" } ?? "" : ""
        let outcomes = [("positive", "Positive"), ("negative", "Negative")]
        let decisionTables = [
            table("Reasonable Grounds decisions (made in the period)", id: "rg", categories: outcomes,
                  now.reasonableGrounds.outcomes, before.reasonableGrounds.outcomes, unknownKey: nil),
            table("Conclusive Grounds decisions (made in the period)", id: "cg", categories: outcomes,
                  now.conclusiveGrounds.outcomes, before.conclusiveGrounds.outcomes, unknownKey: nil),
        ]
        let timings = [
            Timing(label: "Reasonable Grounds: median days from submission",
                   median: PublishedMedian.days(PublishedMedian.of(now.reasonableGrounds.days, threshold: threshold)),
                   previous: PublishedMedian.days(PublishedMedian.of(before.reasonableGrounds.days, threshold: threshold))),
            Timing(label: "Conclusive Grounds: median days from submission",
                   median: PublishedMedian.days(PublishedMedian.of(now.conclusiveGrounds.days, threshold: threshold)),
                   previous: PublishedMedian.days(PublishedMedian.of(before.conclusiveGrounds.days, threshold: threshold))),
        ]
        let routes = Suppression.apply([now.routes[NotificationKind.nrm.rawValue] ?? 0, now.routes[NotificationKind.dutyToNotify.rawValue] ?? 0],
                                       threshold: threshold)
        let rg = Suppression.apply([now.reasonableGrounds.outcomes["positive"] ?? 0, now.reasonableGrounds.outcomes["negative"] ?? 0],
                                   threshold: threshold)
        let paragraph = PartnershipSummary(
            period: period.label, previousPeriod: period.previous.label, concerns: published(now.concerns), cases: published(now.cases),
            previousCases: published(before.cases), byType: typeBreakdown.sentence(noun: "cases opened"),
            countyLines: lines.cells[0].description, countyLinesPercent: linesShare.isEmpty ? nil : PublishedRounding.percent(now.countyLines, of: now.criminal),
            nrmReferrals: routes.cells[0].description, dutyToNotify: routes.cells[1].description,
            rgDecisions: rg.total.description, rgPositive: rg.cells[0].description).text

        return PartnershipReport(
            period: period.label, comparedWith: period.previous.label, cases: published(now.cases), previousCases: published(before.cases),
            concerns: published(now.concerns),
            summary: typeBreakdown.sentence(noun: "cases opened").sentenceCased,
            paragraph: paragraph,
            types: types,
            countyLines: lines.cells[0].description, countyLinesShare: linesShare,
            previousCountyLines: countyLines(before).cells[0].description,
            timings: timings,
            typeChart: Charts.bars(id: "types", title: "Cases by exploitation type, \(period.label)",
                                   bars: splits.indices.map { i in
                                       Charts.Bar(label: splits[i].category.label, value: typeTotals[i].value, display: typeTotals[i].description)
                                   }),
            trendChart: try await trend(on: db, ending: period, threshold: threshold),
            tables: [
                table("Age at exploitation", id: "age", categories: [("no", "Adult"), ("yes", "Child")], now.ages, before.ages, unknownKey: "not_sure"),
                table("Gender", id: "gender", categories: [("female", "Female"), ("male", "Male")], now.genders, before.genders, unknownKey: "unknown",
                      note: "Not known includes people who do not identify as male or female."),
                table("Nationality", id: "nationality", categories: nationalityCategories, folded(now.nationalities), folded(before.nationalities),
                      unknownKey: "Unknown", note: "The UK and up to five other nationalities with at least \(threshold) cases in the period; the rest are counted together."),
                table("Referral route (submitted in the period)", id: "route",
                      categories: [(NotificationKind.nrm.rawValue, "NRM referral"), (NotificationKind.dutyToNotify.rawValue, "Duty to Notify")],
                      now.routes, before.routes, unknownKey: nil),
                table("Where concerns came from", id: "source",
                      categories: [("staff", "Staff"), ("public", "Public"), ("supplier", "Supplier"), ("partner", "Partner")],
                      now.sources, before.sources, unknownKey: nil),
            ] + decisionTables,
            threshold: threshold)
    }

    /// Cases opened in each of the eight quarters up to the end of the period.
    static func trend(on db: any Database, ending period: ReportPeriod, threshold: Int) async throws -> String {
        let sql = db as! any SQLDatabase
        var points: [Charts.Bar] = []
        // One range count per quarter on the opened_at index: cheaper than sorting two years of
        // cases into buckets.
        for back in (0..<8).reversed() {
            let end = period.end.adding(months: -3 * back), start = end.adding(months: -3)
            let n = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(SafeguardingCase.schema)
                .where("opened_at", .greaterThanOrEqual, ReportPeriod.instant(start)).where("opened_at", .lessThan, ReportPeriod.instant(end))
                .first()?.decode(column: "n", as: Int.self) ?? 0
            let shown = Suppression.apply([n], threshold: threshold).total
            points.append(Charts.Bar(label: "\(Day.monthNames[start.month - 1].prefix(3)) \(start.year % 100)", value: shown.value, display: shown.description))
        }
        return Charts.trend(id: "trend", title: "Cases opened each quarter", points: points)
    }

    /// Every published cell as CSV rows: table, category, count, percent, previous period.
    static let csvHeader = ["table", "category", "count", "percent_of_known", "previous_period"]

    var csvRows: [[String]] {
        var rows: [[String]] = [["Cases opened", "All", cases, "", previousCases], ["Concerns received", "All", concerns, "", ""]]
        rows += types.flatMap { [["Exploitation type", $0.label, $0.total, $0.percent, $0.previous], ["Exploitation type: only", $0.label, $0.only, "", ""],
                                 ["Exploitation type: with other types", $0.label, $0.withOthers, "", ""]] }
        rows.append(["Exploitation type", "Criminal: of which county lines", countyLines, countyLinesShare, previousCountyLines])
        rows += timings.map { ["Time to decision", $0.label, $0.median, "", $0.previous] }
        for t in tables {
            rows += t.rows.map { [t.title, $0.label, $0.count, $0.percent, $0.previous] }
            rows.append([t.title, "Not known", t.unknown, "", ""])
            rows.append([t.title, "Total", t.total, "", t.previousTotal])
        }
        return rows
    }
}

