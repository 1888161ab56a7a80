import Fluent
import Foundation
import LanternCore
import SQLKit

/// One group of people or events with the same coarse facts, from one source: a GROUP BY row of
/// the council's cases, or one partner's record. Keys are "" where a fact is not known.
struct PictureItem: Sendable {
    var source: Int
    var n: Int
    /// Categories (`ExploitationCategory` raw values): a council case may have several.
    var types: [String]
    var age: String
    var gender: String
    var nationality: String
    var area: String
    var outcome: String
}

extension PictureItem {
    /// One partner record, with "not known" values as "".
    init(_ record: DataReturnRecord, source: Int) {
        self.init(source: source, n: 1, types: [record.category], age: record.ageGroup == "unknown" ? "" : record.ageGroup,
                  gender: record.gender == "unknown" ? "" : record.gender, nationality: record.nationality == "Unknown" ? "" : record.nationality,
                  area: record.area, outcome: record.outcome == "unknown" ? "" : record.outcome)
    }
}

/// A counts return: each cut's figures, and the return's total.
struct PictureCounts: Sendable {
    var source: Int
    var total: Int
    var figures: [String: [String: Int]]
}

/// Where the picture's figures come from: the council's own cases, then each partner.
struct PictureSource: Sendable, Equatable {
    let label: String
    let partnerID: UUID?
}

/// Everything the partnership picture counts for a period, gathered from the council's cases
/// (grouped in the database) and the partners' returns (anonymous records and counts).
struct PictureData: Sendable {
    var sources: [PictureSource] = [PictureSource(label: "Council cases", partnerID: nil)]
    var items: [PictureItem] = []
    var counts: [PictureCounts] = []
    /// Partner records whose shared key an earlier source already counted: counted there only.
    var matched = 0

    /// `together` folds every partner into one "Partners" source (what a partner's staff see).
    static func gather(on db: any Database, period: ReportPeriod, together: Bool) async throws -> PictureData {
        var data = PictureData()
        try await data.addCouncilCases(db, period)
        let returns = try await DataReturn.query(on: db).filter(\.$withdrawnAt == nil)
            .filter(\.$periodStart < period.end.iso).filter(\.$periodEnd >= period.start.iso)
            .with(\.$partner).sort(\.$submittedAt).sort(\.$id).all()
        var sourceOf: [UUID?: Int] = [:]
        func source(_ partner: PartnerOrganisation) -> Int {
            let key = together ? nil : partner.id
            if let known = sourceOf[key] { return known }
            data.sources.append(PictureSource(label: together ? "Partners" : partner.name, partnerID: key))
            sourceOf[key] = data.sources.count - 1
            return data.sources.count - 1
        }
        let recordReturns = returns.filter { $0.form == "records" }.map { $0.id! }
        var seenKeys = Set<String>()
        for batch in recordReturns.chunked(500) where !batch.isEmpty {
            let records = try await DataReturnRecord.query(on: db).filter(\.$dataReturn.$id ~~ Array(batch))
                .filter(\.$occurredOn >= period.start.iso).filter(\.$occurredOn < period.end.iso).all()
            let byReturn = Dictionary(grouping: records, by: { $0.$dataReturn.id })
            for r in returns where batch.contains(r.id!) {
                let s = source(r.partner)
                for record in (byReturn[r.id!] ?? []).sorted(by: { ($0.occurredOn, $0.id!.uuidString) < ($1.occurredOn, $1.id!.uuidString) }) {
                    if let key = record.sharedKey, !key.isEmpty, !seenKeys.insert(key).inserted { data.matched += 1; continue }
                    data.items.append(PictureItem(record, source: s))
                }
            }
        }
        // A counts return cannot be split by date: it counts in a period that holds all of it.
        let countReturns = returns.filter { $0.form == "counts" && $0.periodStart >= period.start.iso && $0.periodEnd < period.end.iso }
        if !countReturns.isEmpty {
            let figures = Dictionary(grouping: try await DataReturnCount.query(on: db).filter(\.$dataReturn.$id ~~ countReturns.map { $0.id! }).all(),
                                     by: { $0.$dataReturn.id })
            for r in countReturns {
                var byCut: [String: [String: Int]] = [:]
                for f in figures[r.id!] ?? [] { byCut[f.dimension, default: [:]][f.category, default: 0] += f.count }
                data.counts.append(PictureCounts(source: source(r.partner), total: r.total, figures: byCut))
            }
        }
        return data
    }

    /// The council's cases opened in the period, grouped by their coarse columns in the database.
    private mutating func addCouncilCases(_ db: any Database, _ period: ReportPeriod) async throws {
        let sql = db as! any SQLDatabase
        let columns = ["exploitation_types", "under18_at_exploitation", "gender", "nationality", "area"]
        var query = sql.select().column(Joined(columns: columns, separator: Joined.separator), as: "k")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(SafeguardingCase.schema)
            .where("opened_at", .greaterThanOrEqual, ReportPeriod.instant(period.start)).where("opened_at", .lessThan, ReportPeriod.instant(period.end))
        for column in columns { query = query.groupBy(SQLColumn(column)) }
        for row in try await query.all() {
            let parts = try row.decode(column: "k", as: String.self).split(separator: Joined.separator, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == columns.count else { continue }
            let categories = MultiTypeCount.categories(ofStored: parts[0])
            items.append(PictureItem(source: 0, n: try row.decode(column: "n", as: Int.self),
                                     types: (categories.isEmpty ? [.otherOrUnknown] : Array(categories)).map(\.rawValue).sorted(),
                                     age: parts[1] == "yes" ? "child" : parts[1] == "no" ? "adult" : "",
                                     gender: parts[2] == "unknown" ? "" : parts[2],
                                     nationality: parts[3] == "Unknown" || parts[3].isEmpty ? "" : parts[3], area: parts[4], outcome: ""))
        }
    }
}
