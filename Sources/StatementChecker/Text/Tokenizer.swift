/// Lower-cased word tokens: letters and digits, with apostrophes dropped (PDF extraction
/// loses them anyway, so "Australia's" and "Australias" become the same token).
enum Tokenizer {
    static func words(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        let lowered = text.lowercased()
        var start: String.Index? = nil
        var index = lowered.startIndex
        while index < lowered.endIndex {
            let c = lowered[index]
            if c.isLetter || c.isNumber {
                if start == nil { start = index }
            } else if c == "'" || c == "’" {
                // keep the word going; the apostrophe itself is skipped below
            } else if let s = start {
                tokens.append(lowered[s..<index])
                start = nil
            }
            index = lowered.index(after: index)
        }
        if let s = start { tokens.append(lowered[s...]) }
        return tokens.map { $0.contains("'") || $0.contains("’") ? Substring($0.filter { $0 != "'" && $0 != "’" }) : $0 }
    }
}
