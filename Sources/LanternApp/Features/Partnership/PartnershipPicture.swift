import Foundation
import LanternCore

/// The partnership's picture for a period: each cut with the sources side by side and summed,
/// one cross-tabulation, and the trends. Every figure is suppressed before it leaves here.
struct PartnershipPicture: Encodable, Sendable {
    struct SourceTable: Encodable, Sendable {
        struct Row: Encodable, Sendable { let label: String; let cells: [String]; let total: String; let percent: String }
        let id: String
        let title: String
        let columns: [String]
        let rows: [Row]
        let totals: [String]
        let grand: String
        let chart: String
    }

    struct CrossTable: Encodable, Sendable {
        struct Cell: Encodable, Sendable { let count: String; let percent: String }
        struct Row: Encodable, Sendable { let label: String; let cells: [Cell]; let total: String }
        let rowTitle: String
        let columnTitle: String
        let columns: [String]
        let rows: [Row]
        let columnTotals: [String]
        let total: String
        let notKnown: String
        let folded: String
    }

    let period: String
    let threshold: Int
    let sources: [String]
    let tables: [SourceTable]
    let cross: CrossTable
    let method: [String]

    static let notKnown = "Not known"

    init(data: PictureData, period: ReportPeriod, threshold: Int, areas: [String], rows: PictureCut, columns: PictureCut) {
        self.period = period.label
        self.threshold = threshold
        sources = data.sources.map(\.label)
        tables = PictureCut.allCases.filter { $0 != .nationalityGroup }.map { Self.table($0, data, threshold: threshold, areas: areas, period: period) }
        cross = Self.cross(rows, columns, data, threshold: threshold, areas: areas)
        var method = [
            "Each source's figures are added as they were given. People are not matched across sources, so someone known to two partners is counted twice, unless both gave the same shared pseudonymous key.",
            "A council case with several exploitation types is counted under each; the sources' totals in the type table can therefore exceed the number of cases.",
            "Partners' returns made as counts are included only in periods that hold the whole of the return's period, and cannot be crossed; cross-tabulations use council cases and partners' records.",
            "Council cases are counted by the area recorded on the case, and as not known where none is; they have no partner outcome, so they count as not known in that table.",
        ]
        if data.matched > 0 {
            method.append("\(Suppression.apply([data.matched], threshold: threshold).total) partner \(data.matched == 1 ? "record carried" : "records carried") a shared key already counted in another source, and \(data.matched == 1 ? "was" : "were") counted once.")
        }
        self.method = method
    }

    /// Rows: the cut's categories and "not known"; columns: the sources. Suppressed as one table.
    static func table(_ cut: PictureCut, _ data: PictureData, threshold: Int, areas: [String], period: ReportPeriod) -> SourceTable {
        var present: [String: Int] = [:]
        for item in data.items { for k in cut.keys(item) { present[k, default: 0] += item.n } }
        for c in data.counts { for (k, v) in cut.figures(c) { present[k, default: 0] += v } }
        let categories = cut.categories(areas: areas, present: present, threshold: threshold)
        let keys = categories.map(\.key) + [""]
        var matrix = Array(repeating: Array(repeating: 0, count: data.sources.count), count: keys.count)
        func add(_ key: String, _ source: Int, _ n: Int) {
            guard let i = keys.firstIndex(of: cut.place(key, in: categories)) else { return }
            matrix[i][source] += n
        }
        for item in data.items { for k in cut.keys(item) { add(k, item.source, item.n) } }
        for c in data.counts {
            let figures = cut.figures(c)
            for (k, v) in figures { add(k, c.source, v) }
            add("", c.source, max(0, c.total - figures.values.reduce(0, +)))
        }
        let published = Suppression.table(matrix, threshold: threshold)
        let unknownRow = keys.count - 1
        // Percentages of the known: the grand total less the "not known" row, both shown.
        let known = published.total.value.flatMap { grand in published.rowTotals[unknownRow].value.map { grand - $0 } }
        let rows = keys.indices.map { i in
            SourceTable.Row(label: i == unknownRow ? notKnown : categories[i].label, cells: published.cells[i].map(\.description),
                            total: published.rowTotals[i].description,
                            percent: i == unknownRow ? "" : published.rowTotals[i].value.flatMap { n in known.flatMap { PublishedRounding.percent(n, of: $0) } }.map { "\($0)%" } ?? "")
        }
        return SourceTable(id: cut.rawValue, title: cut.title, columns: data.sources.map(\.label), rows: rows,
                           totals: published.columnTotals.map(\.description), grand: published.total.description,
                           chart: Charts.bars(id: "picture-\(cut.rawValue)", title: "\(cut.title), all sources, \(period.label)",
                                              bars: (0..<unknownRow).map { Charts.Bar(label: categories[$0].label, value: published.rowTotals[$0].value,
                                                                                       display: published.rowTotals[$0].description) }))
    }

    static func cross(_ rowCut: PictureCut, _ columnCut: PictureCut, _ data: PictureData, threshold: Int, areas: [String]) -> CrossTable {
        var counts: [String: [String: Int]] = [:]
        var notKnown = 0
        var rowPresent: [String: Int] = [:], columnPresent: [String: Int] = [:]
        for item in data.items {
            for r in rowCut.keys(item) { rowPresent[r, default: 0] += item.n }
            for c in columnCut.keys(item) { columnPresent[c, default: 0] += item.n }
        }
        // Named nationalities come from the whole picture, then the cross folds what is too small.
        let rowCategories = rowCut.categories(areas: areas, present: rowPresent, threshold: 1)
        let columnCategories = columnCut.categories(areas: areas, present: columnPresent, threshold: 1)
        for item in data.items {
            for r in rowCut.keys(item) {
                for c in columnCut.keys(item) {
                    if r.isEmpty || c.isEmpty { notKnown += item.n; continue }
                    counts[rowCut.place(r, in: rowCategories), default: [:]][columnCut.place(c, in: columnCategories), default: 0] += item.n
                }
            }
        }
        let label = { (categories: [(key: String, label: String)], key: String) in categories.first { $0.key == key }?.label ?? key }
        let crossed = CrossTabulation(rows: rowCategories.map(\.key), columns: columnCategories.map(\.key), counts: counts, notKnown: notKnown,
                                      threshold: threshold, otherRow: rowCut.otherKey, otherColumn: columnCut.otherKey)
        return CrossTable(rowTitle: rowCut.title, columnTitle: columnCut.title,
                          columns: crossed.columns.map { label(columnCategories, $0) },
                          rows: crossed.rows.map { row in
                              CrossTable.Row(label: label(rowCategories, row.label),
                                             cells: row.cells.map { CrossTable.Cell(count: $0.count.description, percent: $0.percent.map { "\($0)%" } ?? "") },
                                             total: row.total.description)
                          },
                          columnTotals: crossed.columnTotals.map(\.description), total: crossed.total.description,
                          notKnown: crossed.notKnown.description,
                          folded: crossed.folded.map { k in label(rowCategories + columnCategories, k) }.joined(separator: ", "))
    }

    /// Every published cell as CSV rows: table, category, source, count, percent.
    static let csvHeader = ["table", "category", "source", "count", "percent_of_known"]

    var csvRows: [[String]] {
        var rows: [[String]] = []
        for t in tables {
            for r in t.rows {
                rows += t.columns.indices.map { [t.title, r.label, t.columns[$0], r.cells[$0], ""] }
                rows.append([t.title, r.label, "All sources", r.total, r.percent])
            }
            rows += t.columns.indices.map { [t.title, "Total", t.columns[$0], t.totals[$0], ""] }
            rows.append([t.title, "Total", "All sources", t.grand, ""])
        }
        let title = "\(cross.rowTitle) by \(cross.columnTitle)"
        for r in cross.rows {
            rows += cross.columns.indices.map { [title, "\(r.label) / \(cross.columns[$0])", "All sources", r.cells[$0].count, r.cells[$0].percent] }
            rows.append([title, "\(r.label) / Total", "All sources", r.total, ""])
        }
        rows.append([title, "Not known on either", "All sources", cross.notKnown, ""])
        return rows
    }
}

extension PictureCut {
    /// The key "other" takes in a cross-tabulation: the nationalities' own, or a new one.
    var otherKey: String {
        switch self {
        case .nationality, .nationalityGroup: PictureCut.otherNationalities
        case .type: ExploitationCategory.otherOrUnknown.rawValue
        default: "Other"
        }
    }
}
