/// Byte-level text helpers. Foundation's `contains` and `trimmingCharacters` go through
/// NSString on Linux and dominated the checker's profile; these stay in UTF-8.
extension String {
    /// Whether `fragment` occurs in the string, comparing UTF-8 bytes exactly.
    func hasFragment(_ fragment: String) -> Bool {
        var haystack = self, needle = fragment
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard !n.isEmpty else { return true }
                guard n.count <= h.count else { return false }
                let first = n[0]
                var i = 0
                let last = h.count - n.count
                while i <= last {
                    if h[i] == first {
                        var k = 1
                        while k < n.count && h[i + k] == n[k] { k += 1 }
                        if k == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// The string without leading and trailing spaces, tabs and line breaks (ASCII and no-break space).
    var trimmedSpaces: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\u{00A0}" || s == "\u{0C}" }
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}
