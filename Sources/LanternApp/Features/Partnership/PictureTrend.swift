import Fluent
import Foundation
import LanternCore
import SQLKit

/// Quarter on quarter and year on year: council cases opened and partners' records in each
/// period up to the end of the one chosen, with the change from the period before.
struct PictureTrend: Encodable, Sendable {
    struct Point: Encodable, Sendable { let label: String; let council: String; let partners: String; let total: String; let change: String }
    let title: String
    let points: [Point]
    let chart: String

    static func quarters(on db: any Database, ending period: ReportPeriod, threshold: Int) async throws -> PictureTrend {
        let buckets = (0..<8).reversed().map { back -> (Day, Day, String) in
            let end = period.end.adding(months: -3 * back), start = end.adding(months: -3)
            return (start, end, "\(Day.monthNames[start.month - 1].prefix(3)) \(start.year)")
        }
        return try await build(db, title: "Quarter on quarter", id: "trend-quarters", buckets: buckets, threshold: threshold)
    }

    static func years(on db: any Database, ending period: ReportPeriod, threshold: Int) async throws -> PictureTrend {
        let buckets = (0..<5).reversed().map { back -> (Day, Day, String) in
            let end = period.end.adding(months: -12 * back), start = end.adding(months: -12)
            let last = end.adding(days: -1)
            return (start, end, start.year == last.year ? "\(start.year)" : "\(start.year)/\(String(last.year % 100).leftPadded(2))")
        }
        return try await build(db, title: "Year on year", id: "trend-years", buckets: buckets, threshold: threshold)
    }

    private static func build(_ db: any Database, title: String, id: String, buckets: [(Day, Day, String)], threshold: Int) async throws -> PictureTrend {
        let sql = db as! any SQLDatabase
        var points: [Point] = [], bars: [Charts.Bar] = []
        var previous: Int?
        for (start, end, label) in buckets {
            let council = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(SafeguardingCase.schema)
                .where("opened_at", .greaterThanOrEqual, ReportPeriod.instant(start)).where("opened_at", .lessThan, ReportPeriod.instant(end))
                .first()?.decode(column: "n", as: Int.self) ?? 0
            let live = try await DataReturn.query(on: db).filter(\.$withdrawnAt == nil)
                .filter(\.$periodStart < end.iso).filter(\.$periodEnd >= start.iso).all()
            let records = live.filter { $0.form == "records" }.map { $0.id! }
            var partners = records.isEmpty ? 0 : try await DataReturnRecord.query(on: db).filter(\.$dataReturn.$id ~~ records)
                .filter(\.$occurredOn >= start.iso).filter(\.$occurredOn < end.iso).count()
            partners += live.filter { $0.form == "counts" && $0.periodStart >= start.iso && $0.periodEnd < end.iso }.reduce(0) { $0 + $1.total }
            let published = Suppression.apply([council, partners], threshold: threshold)
            let total = council + partners
            var change = ""
            if let before = previous, published.total.value != nil, before > 0 {
                let percent = PublishedRounding.percent(abs(total - before), of: before) ?? 0
                change = total == before ? "no change" : "\(total > before ? "up" : "down") \(percent)%"
            }
            previous = published.total.value != nil ? total : nil
            points.append(Point(label: label, council: published.cells[0].description, partners: published.cells[1].description,
                                total: published.total.description, change: change))
            bars.append(Charts.Bar(label: label, value: published.total.value, display: published.total.description))
        }
        return PictureTrend(title: title, points: points, chart: Charts.trend(id: id, title: "\(title): council cases and partners' records", points: bars))
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
