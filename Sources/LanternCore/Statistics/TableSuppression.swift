/// A two-way table once suppression has been applied: its cells, the row and column totals and
/// the grand total.
public struct PublishedTable: Sendable, Equatable {
    public var cells: [[PublishedCount]]
    public var rowTotals: [PublishedCount]
    public var columnTotals: [PublishedCount]
    public var total: PublishedCount
}

extension Suppression {
    /// Small-number suppression of a two-way table with its margins. Every row and every column,
    /// with its total, is an additive group, and a margin is a cell of the margins' own group.
    /// Cells from 1 to `threshold - 1` are hidden; then each group is checked as ``apply(_:threshold:)``
    /// checks one (a small cell never hides alone; no hidden cell may be worked out from its
    /// group's total and the rule), withholding the smallest other non-zero cell of a group that
    /// fails, or its total when none is left, until every group holds. A hidden total whose parts
    /// are all shown is added back up, so one of its parts is withheld too.
    ///
    /// Source: `shared/docs/domain/referrals.md` §6 (secondary suppression, so hidden cells cannot
    /// be worked out from totals). The search is the usual greedy one, not an optimal pattern.
    /// `hiddenTotal` withholds the grand total from the start (when another published figure,
    /// such as a count of records left out, needs it hidden).
    public static func table(_ counts: [[Int]], threshold: Int = defaultThreshold, hiddenTotal: Bool = false) -> PublishedTable {
        let t = max(1, threshold)
        let n = counts.count, m = counts.first?.count ?? 0
        // The grid with its margins: row n holds the column totals, column m the row totals.
        var grid = counts.map { $0 + [$0.reduce(0, +)] }
        grid.append((0...m).map { j in (0..<n).reduce(0) { $0 + grid[$1][j] } })
        enum Hidden { case small, withheld }
        var hidden = grid.map { $0.map { $0 > 0 && $0 < t ? Hidden.small : nil } }
        if hiddenTotal, grid[n][m] > 0, hidden[n][m] == nil { hidden[n][m] = .withheld }

        // A line: its parts and its total, as grid positions.
        typealias Position = (i: Int, j: Int)
        let lines: [(parts: [Position], total: Position)] =
            (0...n).map { i in ((0..<m).map { (i, $0) }, (i, m)) } + (0...m).map { j in ((0..<n).map { ($0, j) }, (n, j)) }

        if t > 2 || hiddenTotal {
            var changed = true
            while changed {
                changed = false
                // A small cell never hides alone in a line whose total is shown.
                for line in lines where hidden[line.total.i][line.total.j] == nil {
                    let hiddenParts = line.parts.filter { hidden[$0.i][$0.j] != nil }
                    guard hiddenParts.count == 1, t > 2, let next = smallestShown(line.parts) else { continue }
                    hidden[next.i][next.j] = .withheld
                    changed = true
                }
                // Then what a reader can work out from every line at once: each hidden cell's bounds,
                // narrowed line by line until they settle. A cell pinned to one value takes another.
                guard let pinned = firstPinned() else { continue }
                let mine = lines.filter { line in line.parts.contains { $0 == pinned } || line.total == pinned }
                if let next = mine.compactMap({ smallestShown($0.parts) }).min(by: { (grid[$0.i][$0.j], $0.i, $0.j) < (grid[$1.i][$1.j], $1.i, $1.j) }) {
                    hidden[next.i][next.j] = .withheld
                } else if let line = mine.first(where: { hidden[$0.total.i][$0.total.j] == nil }) {
                    hidden[line.total.i][line.total.j] = .withheld
                } else if let next = (0...n).flatMap({ i in (0...m).map { (i, $0) } }).filter({ hidden[$0.0][$0.1] == nil && grid[$0.0][$0.1] > 0 }).first {
                    hidden[next.0][next.1] = .withheld
                } else { break }
                changed = true
            }
        }

        func smallestShown(_ parts: [Position]) -> Position? {
            parts.filter { hidden[$0.i][$0.j] == nil && grid[$0.i][$0.j] > 0 }
                .min { (grid[$0.i][$0.j], $0.i, $0.j) < (grid[$1.i][$1.j], $1.i, $1.j) }
        }

        /// Interval reasoning over every line (the parts sum to the total): a small cell lies in
        /// 1…t−1, a withheld one is t or more, a shown one is itself.
        func firstPinned() -> Position? {
            // Lower bounds never pass the true values; an upper bound is nil until something limits it.
            var low = grid.indices.map { i in grid[i].indices.map { j in hidden[i][j] == nil ? grid[i][j] : hidden[i][j] == .small ? 1 : t } }
            var high: [[Int?]] = grid.indices.map { i in grid[i].indices.map { j in hidden[i][j] == nil ? grid[i][j] : hidden[i][j] == .small ? t - 1 : nil } }
            var narrowed = true, rounds = 0
            while narrowed && rounds < 100 {
                narrowed = false
                rounds += 1
                for line in lines {
                    let (ti, tj) = line.total
                    let sumLow = line.parts.reduce(0) { $0 + low[$1.i][$1.j] }
                    let open = line.parts.filter { high[$0.i][$0.j] == nil }.count
                    let sumHigh = line.parts.reduce(0) { $0 + (high[$1.i][$1.j] ?? 0) }
                    if sumLow > low[ti][tj] { low[ti][tj] = sumLow; narrowed = true }
                    if open == 0, high[ti][tj].map({ sumHigh < $0 }) ?? true { high[ti][tj] = sumHigh; narrowed = true }
                    for p in line.parts {
                        let othersLow = sumLow - low[p.i][p.j]
                        if let totalHigh = high[ti][tj], high[p.i][p.j].map({ totalHigh - othersLow < $0 }) ?? true {
                            high[p.i][p.j] = totalHigh - othersLow; narrowed = true
                        }
                        let othersOpen = open - (high[p.i][p.j] == nil ? 1 : 0)
                        if othersOpen == 0 {
                            let othersHigh = sumHigh - (high[p.i][p.j] ?? 0)
                            if low[ti][tj] - othersHigh > low[p.i][p.j] { low[p.i][p.j] = low[ti][tj] - othersHigh; narrowed = true }
                        }
                    }
                }
            }
            for i in 0...n { for j in 0...m where hidden[i][j] != nil && high[i][j].map({ low[i][j] >= $0 }) == true { return (i, j) } }
            return nil
        }

        func published(_ i: Int, _ j: Int) -> PublishedCount {
            switch hidden[i][j] {
            case .small: .suppressed(threshold: t)
            case .withheld: .withheld
            case nil: .shown(grid[i][j])
            }
        }
        return PublishedTable(cells: (0..<n).map { i in (0..<m).map { published(i, $0) } },
                              rowTotals: (0..<n).map { published($0, m) },
                              columnTotals: (0..<m).map { published(n, $0) },
                              total: published(n, m))
    }
}
