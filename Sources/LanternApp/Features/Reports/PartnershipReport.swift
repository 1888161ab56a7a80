import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// The partnership's anonymised figures for a period, counted in the database with GROUP BY
/// (only the groups come back, never rows about people) and suppressed before display.
/// Sources: `shared/docs/domain/referrals.md` §6 (the national cuts).
struct PartnershipReport: Encodable {
    struct Table: Encodable {
        struct Row: Encodable { let label: String; let count: String; let percent: String }
        let title: String
        let rows: [Row]
        let unknown: String
        let total: String
        let note: String
    }

    struct TypeRow: Encodable { let label: String; let total: String; let only: String; let withOthers: String; let percent: String }

    let period: String
    let cases: String
    let summary: String
    let types: [TypeRow]
    let tables: [Table]
    let threshold: Int

    static func build(on db: any Database, from start: Date, to end: Date, label: String, threshold: Int) async throws -> PartnershipReport {
        let sql = db as! any SQLDatabase
        // Dates stored as instants are compared with instants; days stored as ISO text with ISO text.
        func grouped(_ table: String, _ column: String, dateColumn: String, isoDay: Bool = false) async throws -> [String: Int] {
            let from: any SQLExpression = isoDay ? SQLBind(Day(start).iso) : SQLBind(start)
            let to: any SQLExpression = isoDay ? SQLBind(Day(end).iso) : SQLBind(end)
            let query = sql.select().column(SQLColumn(column), as: "k").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(table).where(SQLColumn(dateColumn), .greaterThanOrEqual, from).where(SQLColumn(dateColumn), .lessThan, to)
            var result: [String: Int] = [:]
            for row in try await query.groupBy(SQLColumn(column)).all() {
                result[(try row.decode(column: "k", as: String?.self)) ?? ""] = try row.decode(column: "n", as: Int.self)
            }
            return result
        }
        let typeCombinations = try await grouped(SafeguardingCase.schema, "exploitation_types", dateColumn: "opened_at")
        let caseCount = typeCombinations.values.reduce(0, +)
        var combinations: [Set<ExploitationCategory>: Int] = [:]
        for (stored, n) in typeCombinations { combinations[MultiTypeCount.categories(ofStored: stored), default: 0] += n }
        let splits = MultiTypeCount.split(combinations)
        let types = splits.map { split -> TypeRow in
            let published = Suppression.apply([split.only, split.withOthers], threshold: threshold)
            return TypeRow(label: split.category.label, total: published.total.description, only: published.cells[0].description,
                           withOthers: published.cells[1].description,
                           percent: published.total.value.flatMap { PublishedRounding.percent($0, of: caseCount) }.map { "\($0)%" } ?? "")
        }
        let typeSentence = Breakdown(title: "", categories: splits.map { ($0.category.label, $0.total) }, unknown: 0, threshold: threshold)

        let ages = try await grouped(SafeguardingCase.schema, "under18_at_exploitation", dateColumn: "opened_at")
        let genders = try await grouped(SafeguardingCase.schema, "gender", dateColumn: "opened_at")
        let nationalities = try await grouped(SafeguardingCase.schema, "nationality", dateColumn: "opened_at")
        let routes = try await grouped(Notification.schema, "kind", dateColumn: "submitted_on", isoDay: true)
        let channels = try await grouped(Concern.schema, "channel", dateColumn: "received_at")

        func table(_ title: String, _ breakdown: Breakdown, note: String = "") -> Table {
            Table(title: title, rows: breakdown.rows.map { Table.Row(label: $0.label, count: $0.count.description, percent: $0.percent.map { "\($0)%" } ?? "") },
                  unknown: breakdown.unknown.description, total: breakdown.total.description, note: note)
        }
        let others = nationalities.filter { $0.key != "British" && $0.key != "Unknown" }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        let top = others.prefix(5)
        let rest = others.dropFirst(5).reduce(0) { $0 + $1.value }
        var nationalityRows = [("United Kingdom (British)", nationalities["British"] ?? 0)] + top.map { ($0.key, $0.value) }
        if rest > 0 { nationalityRows.append(("Other nationalities", rest)) }
        var sources: [String: Int] = [:]
        for (channel, n) in channels { sources[ConcernChannel(rawValue: channel)?.source ?? "public", default: 0] += n }

        return PartnershipReport(
            period: label, cases: Suppression.apply([caseCount], threshold: threshold).total.description,
            summary: typeSentence.sentence(noun: "cases opened (a case with several types is counted under each)"),
            types: types,
            tables: [
                table("Age at exploitation", Breakdown(title: "", categories: [("Adult", ages["no"] ?? 0), ("Child", ages["yes"] ?? 0)],
                                                       unknown: ages["not_sure"] ?? 0, threshold: threshold)),
                table("Gender", Breakdown(title: "", categories: [("Female", genders["female"] ?? 0), ("Male", genders["male"] ?? 0)],
                                          unknown: genders["unknown"] ?? 0, threshold: threshold), note: "Not known includes people who do not identify as male or female."),
                table("Nationality", Breakdown(title: "", categories: nationalityRows.map { ($0.0, $0.1) }, unknown: nationalities["Unknown"] ?? 0, threshold: threshold),
                      note: "The UK and the five most frequent other nationalities."),
                table("Referral route (submitted in the period)", Breakdown(title: "", categories: [("NRM referral", routes[NotificationKind.nrm.rawValue] ?? 0),
                                                                                   ("Duty to Notify", routes[NotificationKind.dutyToNotify.rawValue] ?? 0)],
                                                                      unknown: 0, threshold: threshold)),
                table("Where concerns came from", Breakdown(title: "", categories: [("Staff", sources["staff"] ?? 0), ("Public", sources["public"] ?? 0),
                                                                                   ("Supplier", sources["supplier"] ?? 0), ("Partner", sources["partner"] ?? 0)],
                                                            unknown: 0, threshold: threshold)),
            ],
            threshold: threshold)
    }

    /// Every published cell as CSV rows: table, category, count, percent.
    var csv: String {
        var rows: [[String]] = [["Cases opened", "All", cases, ""]]
        rows += types.flatMap { [["Exploitation type", $0.label, $0.total, $0.percent], ["Exploitation type: only", $0.label, $0.only, ""],
                                 ["Exploitation type: with other types", $0.label, $0.withOthers, ""]] }
        for t in tables {
            rows += t.rows.map { [t.title, $0.label, $0.count, $0.percent] }
            rows.append([t.title, "Not known", t.unknown, ""])
            rows.append([t.title, "Total", t.total, ""])
        }
        return CSVFile.write(header: ["table", "category", "count", "percent_of_known"], rows: rows)
    }
}

struct ReportsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(.viewPartnershipStatistics).grouped("reports")
        view.get(use: year)
        view.get("year.csv", use: yearCSV)
    }

    private func report(_ req: Request) async throws -> (PartnershipReport, Int) {
        let organisation = try await Organisation.current(on: req.db)
        let current = organisation?.currentFinancialYear(now: req.lantern.now()) ?? FinancialYear.containing(req.lantern.now())
        let endYear = (try? req.query.get(Int.self, at: "year")).flatMap { (2000...2100).contains($0) ? $0 : nil } ?? current.endYear
        let fy = FinancialYear(endYear: endYear, endMonth: current.endMonth, endDay: current.endDay)
        let threshold = (try? req.query.get(Int.self, at: "threshold")).flatMap { (2...50).contains($0) ? $0 : nil } ?? Suppression.defaultThreshold
        let built = try await PartnershipReport.build(on: req.db, from: fy.start, to: fy.end, label: fy.description, threshold: threshold)
        try await req.audit(.read, "PartnershipReport", detail: "\(fy.description), threshold \(threshold)")
        return (built, endYear)
    }

    func year(req: Request) async throws -> Response {
        let (built, endYear) = try await report(req)
        struct View: Encodable { let report: PartnershipReport; let year: Int; let years: [SelectOption] }
        let years = (endYear - 5...endYear + 1).reversed().map { SelectOption(value: String($0), label: "Year ending \($0)", selected: $0 == endYear) }
        return try await req.render("Reports/year", View(report: built, year: endYear, years: years), title: "Partnership statistics")
    }

    func yearCSV(req: Request) async throws -> Response {
        let (built, endYear) = try await report(req)
        try await req.audit(.export, "PartnershipReport", detail: "CSV, year ending \(endYear)")
        let response = Response(status: .ok, body: .init(string: built.csv))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"partnership-statistics-\(endYear).csv\"")
        return response
    }
}
