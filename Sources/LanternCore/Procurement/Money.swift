/// Sums of money in whole pence, so totals never drift. Contract values and thresholds.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let pence: Int

    public init(pence: Int) { self.pence = pence }
    public init(pounds: Int) { self.pence = pounds * 100 }

    /// Reads what people type and finance systems export: `25000`, `£25,000`, `25,000.50`,
    /// `GBP 1200`. Refuses negatives, more than two decimal places, and anything else.
    public init?(parsing text: String) {
        var s = Substring(text.trimmingSpaces)
        if s.hasPrefix("£") { s = s.dropFirst() }
        else if s.uppercased().hasPrefix("GBP") { s = s.dropFirst(3) }
        s = Substring(s.trimmingSpaces)
        guard !s.isEmpty else { return nil }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let whole = parts[0]
        // Thousands separators only in their proper places.
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard !whole.isEmpty, groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        if groups.count > 1 {
            guard groups[0].count <= 3, groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        let digits = groups.joined()
        guard digits.count <= 13, let pounds = Int(digits) else { return nil }
        var pence = pounds * 100
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit), let f = Int(fraction) else { return nil }
            pence += fraction.count == 1 ? f * 10 : f
        }
        self.pence = pence
    }

    /// `£25,000` or `£25,000.50`.
    public var description: String {
        let pounds = pence / 100, rest = pence % 100
        var digits = String(pounds)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return "£" + digits + grouped + (rest == 0 ? "" : "." + (rest < 10 ? "0" : "") + String(rest))
    }

    /// The plain figure for a form field or a CSV cell: `25000` or `25000.50`.
    public var plain: String {
        let rest = pence % 100
        return String(pence / 100) + (rest == 0 ? "" : "." + (rest < 10 ? "0" : "") + String(rest))
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.pence < rhs.pence }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
