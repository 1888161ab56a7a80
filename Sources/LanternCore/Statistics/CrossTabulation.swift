/// Two cuts crossed (age by nationality, type by area …): counts of the records known on both,
/// with each row's percentages, small numbers suppressed across rows and columns, and labels too
/// small to publish folded into "other".
///
/// Sources: the partnership issue (any two of type, age group, gender, nationality and area;
/// percentages of the row; suppressed labels folded into "other"); `shared/docs/domain/referrals.md`
/// §6 for suppression. The metropolitan borough's statement (`shared/seeds/003_cb3703bc337639d5.txt`)
/// publishes such a cross: "17 (71%) of the British alleged victims were young people".
public struct CrossTabulation: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        public var count: PublishedCount
        /// Of the row's total; nil when either is hidden.
        public var percent: Int?
    }

    public struct Row: Sendable, Equatable {
        public var label: String
        public var cells: [Cell]
        public var total: PublishedCount
    }

    public var columns: [String]
    public var rows: [Row]
    public var columnTotals: [PublishedCount]
    public var total: PublishedCount
    /// Records left out because one of the two cuts is not known for them.
    public var notKnown: PublishedCount
    /// The labels folded into the "other" row or column.
    public var folded: [String]

    /// `rows` and `columns` give the order of the labels; `counts[row][column]` the records known
    /// on both. A label whose total is from 1 to `threshold - 1` is folded into `otherRow` or
    /// `otherColumn` (which may already be one of the labels).
    public init(rows: [String], columns: [String], counts: [String: [String: Int]], notKnown: Int,
                threshold: Int = Suppression.defaultThreshold, otherRow: String = "Other", otherColumn: String = "Other") {
        let t = max(1, threshold)
        func total(row r: String) -> Int { counts[r]?.values.reduce(0, +) ?? 0 }
        func total(column c: String) -> Int { counts.values.reduce(0) { $0 + ($1[c] ?? 0) } }
        let foldedRows = Set(rows.filter { total(row: $0) > 0 && total(row: $0) < t && $0 != otherRow })
        let foldedColumns = Set(columns.filter { total(column: $0) > 0 && total(column: $0) < t && $0 != otherColumn })
        func place(row r: String) -> String { foldedRows.contains(r) ? otherRow : r }
        func place(column c: String) -> String { foldedColumns.contains(c) ? otherColumn : c }
        var rowLabels = rows.filter { !foldedRows.contains($0) }
        if !foldedRows.isEmpty, !rowLabels.contains(otherRow) { rowLabels.append(otherRow) }
        var columnLabels = columns.filter { !foldedColumns.contains($0) }
        if !foldedColumns.isEmpty, !columnLabels.contains(otherColumn) { columnLabels.append(otherColumn) }
        var grid = Array(repeating: Array(repeating: 0, count: columnLabels.count), count: rowLabels.count)
        for (r, byColumn) in counts {
            guard let i = rowLabels.firstIndex(of: place(row: r)) else { continue }
            for (c, n) in byColumn {
                guard let j = columnLabels.firstIndex(of: place(column: c)) else { continue }
                grid[i][j] += n
            }
        }
        // The records left out and those counted make up all the records, which other tables
        // publish: a small "not known" withholds the table's total, as a cell's partner would.
        let leftOut = Suppression.apply([grid.joined().reduce(0, +), notKnown], threshold: t)
        let table = Suppression.table(grid, threshold: t, hiddenTotal: leftOut.cells[0] == .withheld)
        self.columns = columnLabels
        self.rows = rowLabels.indices.map { i in
            Row(label: rowLabels[i], cells: columnLabels.indices.map { j in
                    let shown = table.cells[i][j].value != nil && table.rowTotals[i].value != nil
                    return Cell(count: table.cells[i][j], percent: shown ? PublishedRounding.percent(grid[i][j], of: grid[i].reduce(0, +)) : nil)
                }, total: table.rowTotals[i])
        }
        self.columnTotals = table.columnTotals
        self.total = table.total
        self.notKnown = leftOut.cells[1]
        self.folded = (foldedRows.sorted() + foldedColumns.sorted())
    }
}
