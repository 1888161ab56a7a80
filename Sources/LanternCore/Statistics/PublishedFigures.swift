/// Percentages and small-number suppression as published statistics show them.
///
/// Sources: `shared/docs/domain/referrals.md` §6 (suppress small cells, threshold configurable,
/// e.g. fewer than 5; secondary suppression so hidden cells cannot be worked out from totals)
/// and the partnership statistics issue (whole percent, half up; percentages of the known,
/// with the unknowns stated beside them).
public enum PublishedRounding {
    /// `part` as a whole percentage of `whole`, rounded half up (2.5% → 3%); nil when `whole` is 0.
    public static func percent(_ part: Int, of whole: Int) -> Int? {
        guard whole > 0, part >= 0 else { return nil }
        // floor(100·part/whole + 1/2) in integers, so no binary fraction rounds the wrong way.
        return (200 * part + whole) / (2 * whole)
    }
}

/// The median of a distribution given as counts per value (days taken → how many decisions),
/// as a GROUP BY returns it. Source: `shared/docs/domain/referrals.md` §6 (the national
/// statistics give the median days to a decision). Nil when there are no observations, or fewer
/// than `threshold` (a median of two or three decisions says too much about each).
public enum PublishedMedian {
    public static func of(_ histogram: [Int: Int], threshold: Int = 1) -> Double? {
        let n = histogram.values.reduce(0, +)
        guard n > 0, n >= threshold else { return nil }
        let sorted = histogram.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        func value(at rank: Int) -> Int {  // rank counts from 0
            var seen = 0
            for (v, count) in sorted {
                seen += count
                if rank < seen { return v }
            }
            return sorted.last!.key
        }
        return n % 2 == 1 ? Double(value(at: n / 2)) : Double(value(at: n / 2 - 1) + value(at: n / 2)) / 2
    }

    /// "12 days" or "12.5 days".
    public static func days(_ median: Double?) -> String {
        guard let median else { return "not published" }
        let text = median == median.rounded() ? String(Int(median)) : String(format: "%.1f", median)
        return text + (median == 1 ? " day" : " days")
    }
}

/// What a cell shows once suppression has been applied.
public enum PublishedCount: Equatable, Sendable, CustomStringConvertible {
    case shown(Int)
    /// A small number: from 1 to threshold − 1.
    case suppressed(threshold: Int)
    /// A larger number hidden so that a small one cannot be worked out from the totals.
    case withheld

    public var value: Int? {
        if case .shown(let n) = self { return n }
        return nil
    }

    public var isSuppressed: Bool { value == nil }

    public var description: String {
        switch self {
        case .shown(let n): String(n)
        case .suppressed(let threshold): "fewer than \(threshold)"
        case .withheld: "withheld"
        }
    }
}

/// Small-number suppression of one additive group: cells that together make up a total
/// (for example the categories of one breakdown plus its "not known" cell).
public enum Suppression {
    public static let defaultThreshold = 5

    public struct Result: Equatable, Sendable {
        public var cells: [PublishedCount]
        public var total: PublishedCount
        /// Cells hidden only so that another hidden cell cannot be worked out.
        public var secondary: Set<Int>
    }

    /// Cells from 1 to `threshold - 1` are hidden as "fewer than N" (0 is shown: it discloses no
    /// one). Then, while any hidden cell could be worked out from the total and the rule (what a
    /// reader knows: each small cell is 1 to N − 1, each withheld cell N or more), the smallest
    /// other non-zero cells are withheld too, one at a time; with none left, the whole group is
    /// withheld. At a threshold of 2 only the small cells are hidden. A total below the threshold
    /// hides the total and every non-zero cell.
    public static func apply(_ counts: [Int], threshold: Int = defaultThreshold) -> Result {
        let threshold = max(1, threshold)
        let total = counts.reduce(0, +)
        func small(_ n: Int) -> Bool { n > 0 && n < threshold }
        if small(total) {
            return Result(cells: counts.map { $0 == 0 ? .shown(0) : .suppressed(threshold: threshold) },
                          total: .suppressed(threshold: threshold), secondary: [])
        }
        let primary = Set(counts.indices.filter { small(counts[$0]) })
        // At a threshold of 2 a small cell can only be 1, and "fewer than 2" says so: the total
        // can tell a reader nothing more, so no other cell is withheld to protect it.
        guard threshold > 2 else {
            return Result(cells: counts.indices.map { primary.contains($0) ? .suppressed(threshold: threshold) : .shown(counts[$0]) },
                          total: .shown(total), secondary: [])
        }
        // Whenever a cell is small, the smallest other non-zero cell is withheld with it: always,
        // so that withholding says nothing more than that some cell was small. Then the next
        // smallest, while the hidden cells could still be worked out; with none left, the whole
        // group is withheld, zeros included.
        var partners = counts.indices.filter { !primary.contains($0) && counts[$0] > 0 }.sorted { (counts[$0], $0) < (counts[$1], $1) }
        var secondary = Set<Int>()
        if !primary.isEmpty, !partners.isEmpty { secondary.insert(partners.removeFirst()) }
        while determined(counts, primary: primary, secondary: secondary, threshold: threshold) {
            guard !partners.isEmpty else {
                return Result(cells: counts.map { _ in .withheld }, total: .withheld, secondary: Set(counts.indices))
            }
            secondary.insert(partners.removeFirst())
        }
        return Result(cells: counts.indices.map {
                          primary.contains($0) ? .suppressed(threshold: threshold) : secondary.contains($0) ? .withheld : .shown(counts[$0])
                      },
                      total: .shown(total), secondary: secondary)
    }

    /// Whether some hidden cell has only one value consistent with the shown total: the hidden
    /// cells sum to R; k small ones each lie in 1…t−1 and m withheld ones each in t….
    static func determined(_ counts: [Int], primary: Set<Int>, secondary: Set<Int>, threshold t: Int) -> Bool {
        let k = primary.count, m = secondary.count
        guard k + m > 0 else { return false }
        let r = (primary.union(secondary)).reduce(0) { $0 + counts[$1] }
        if k > 0 {
            let upper = min(t - 1, r - (k - 1) - m * t)
            let lower = m > 0 ? 1 : max(1, r - (k - 1) * (t - 1))
            if upper <= lower { return true }
        }
        if m > 0 {
            let upper = r - k - (m - 1) * t
            let lower = m > 1 ? t : max(t, r - k * (t - 1))
            if upper <= lower { return true }
        }
        return false
    }
}
