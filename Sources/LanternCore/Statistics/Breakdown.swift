/// One published breakdown (by exploitation type, age, gender …): counts and percentages of
/// the known, the unknowns beside them, small numbers suppressed.
///
/// Sources: `shared/docs/domain/referrals.md` §6 (the national cuts, small-number suppression)
/// and the partnership statistics issue (percentages of the known, whole percent half up,
/// unknowns stated beside them).
public struct Breakdown: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var label: String
        public var count: PublishedCount
        /// Of the known total; nil when the count or the known total is hidden.
        public var percent: Int?
    }

    public var title: String
    public var rows: [Row]
    public var unknown: PublishedCount
    public var known: PublishedCount
    public var total: PublishedCount

    /// `categories` partition the known cases; `unknown` holds the rest. Suppression treats the
    /// categories and the unknowns as one additive group, so none can be found by subtraction.
    public init(title: String, categories: [(label: String, count: Int)], unknown: Int, threshold: Int = Suppression.defaultThreshold) {
        self.title = title
        let counts = categories.map(\.count) + [unknown]
        let published = Suppression.apply(counts, threshold: threshold)
        let knownTotal = categories.reduce(0) { $0 + $1.count }
        // The known total would reveal a hidden "not known" cell by subtraction from the total.
        let knownHidden = published.total.isSuppressed || published.cells.last!.isSuppressed
        let known: PublishedCount = knownHidden ? .withheld : .shown(knownTotal)
        self.known = known
        rows = categories.indices.map { i in
            let cell = published.cells[i]
            return Row(label: categories[i].label, count: cell,
                       percent: cell.value != nil && known.value != nil ? PublishedRounding.percent(categories[i].count, of: knownTotal) : nil)
        }
        self.unknown = published.cells.last!
        total = published.total
    }

    /// The labels of an open-ended breakdown (nationalities) that a table may name: the `limit`
    /// most frequent whose count reaches the threshold, most frequent first (ties by label). A
    /// smaller one is folded into "other", since a rare label identifies a person as surely as
    /// a count would (attack review of the partnership statistics; `referrals.md` §6).
    public static func namedLabels(_ counts: [String: Int], threshold: Int, limit: Int) -> [String] {
        counts.filter { $0.value >= max(1, threshold) }
            .sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .prefix(limit).map(\.key)
    }

    /// "46 enquiries: criminal exploitation 34 (74%), labour exploitation 7 (15%), fewer than 5
    /// other; 2 not known." Largest first, as partnership papers write it.
    public func sentence(noun: String) -> String {
        let ordered = rows.filter { $0.count != .shown(0) }.sorted { ($0.count.value ?? 0) > ($1.count.value ?? 0) }
        let parts = ordered.map { row -> String in
            let label = row.label.prefix(1).lowercased() + row.label.dropFirst()
            if let value = row.count.value {
                return "\(label) \(value)" + (row.percent.map { " (\($0)%)" } ?? "")
            }
            return "\(label) \(row.count)"
        }
        var text = "\(total) \(noun)"
        if !parts.isEmpty { text += ": " + parts.joined(separator: ", ") }
        if unknown != .shown(0) { text += "; \(unknown) not known" }
        return text + "."
    }
}

/// Counting cases that have several exploitation types, as the national statistics do: each
/// case under every category it has, and for each category "X only" and "X and other types".
public enum MultiTypeCount {
    public struct Split: Sendable, Equatable {
        public var category: ExploitationCategory
        public var total: Int
        public var only: Int
        public var withOthers: Int
    }

    /// `combinations` maps each set of categories found on cases to how many cases have exactly
    /// that set (as one GROUP BY returns them); an empty set counts as "other or not known".
    public static func split(_ combinations: [Set<ExploitationCategory>: Int]) -> [Split] {
        ExploitationCategory.allCases.map { category in
            var only = 0, withOthers = 0
            for (set, count) in combinations {
                let effective = set.isEmpty ? [ExploitationCategory.otherOrUnknown] : set
                guard effective.contains(category) else { continue }
                if effective.count == 1 { only += count } else { withOthers += count }
            }
            return Split(category: category, total: only + withOthers, only: only, withOthers: withOthers)
        }
    }

    /// The categories of a stored comma-separated list of `ExploitationType` values.
    public static func categories(ofStored types: String) -> Set<ExploitationCategory> {
        Set(types.split(separator: ",").compactMap { ExploitationType(rawValue: String($0))?.category })
    }
}
