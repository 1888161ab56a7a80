import Foundation

/// Splits extracted statement text into sentences, coping with what PDF extraction does:
/// words hyphenated across line ends are rejoined, lines repeated on most pages (running
/// headers, footers, page numbers) are dropped, bullets start new sentences, and short
/// heading lines run into the sentence that follows, as in the AIMS.au data.
public enum SentenceSplitter {
    /// Abbreviations whose full stop does not end a sentence.
    static let abbreviations: Set<String> = [
        "e.g", "i.e", "etc", "pty", "ltd", "plc", "inc", "co", "no", "nos", "mr", "mrs", "ms", "dr", "st", "vs",
        "approx", "incl", "dept", "govt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec", "cth", "s", "ss", "para", "fig", "p", "pp", "vol", "corp", "llp", "u.k", "u.s", "cl",
    ]

    static let bulletMarks: Set<Character> = ["•", "●", "▪", "■", "◦", "‣", "∙", "·", "–", "-", "*", "\u{F0B7}", "\u{F0A7}", "➢", "✓", "□"]

    public static func split(_ text: String) -> [String] {
        let unified = text.utf8.contains(13) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        let pages = unified.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
        let repeated = repeatedLines(pages)
        var paragraphs: [String] = []
        var current = ""
        func flush() {
            let trimmed = current.trimmedSpaces
            if !trimmed.isEmpty { paragraphs.append(trimmed) }
            current = ""
        }
        for page in pages {
            for rawLine in page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                var line = rawLine.trimmedSpaces
                if line.isEmpty { flush(); continue }
                if (!repeated.isEmpty && repeated.contains(normalised(line))) || isPageNumber(line) { continue }
                if let first = line.first, bulletMarks.contains(first), line.count > 1,
                   line.dropFirst().first?.isWhitespace == true {
                    flush()
                    line = String(line.dropFirst()).trimmedSpaces
                } else if startsLikeAListMarker(line), let marker = line.range(of: #"^(\(?[0-9]{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+"#, options: .regularExpression) {
                    flush()
                    line.removeSubrange(marker)
                }
                if current.hasSuffix("-"), let c = line.first, c.isLowercase {
                    current.removeLast()
                    current += line
                } else if current.isEmpty {
                    current = line
                } else {
                    current += " " + line
                }
            }
            flush()
        }
        var pieces: [Piece] = []
        for paragraph in paragraphs {
            pieces += splitParagraph(paragraph)
        }
        return mergeHeadings(pieces)
    }

    /// "1.", "(a)", "iv)": checked before the regular expression, which is slow.
    static func startsLikeAListMarker(_ line: String) -> Bool {
        let bytes = line.utf8.prefix(6)
        guard let first = bytes.first else { return false }
        if first == UInt8(ascii: "(") || (first >= 0x30 && first <= 0x39) { return true }
        return (first >= 0x61 && first <= 0x7A) && bytes.dropFirst().prefix(4).contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ")") }
    }

    static func normalised(_ line: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in line.unicodeScalars where !(s.properties.numericType != nil || s == " " || s == "\t" || s == "\r" || s == "\u{00A0}") {
            scalars.append(s.isASCII && s.value >= 65 && s.value <= 90 ? Unicode.Scalar(s.value + 32)! : s)
        }
        return String(scalars)
    }

    static func isPageNumber(_ line: String) -> Bool {
        guard line.utf8.count <= 20, line.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return line.range(of: #"^(page\s*)?[0-9]{1,3}(\s*(of|/)\s*[0-9]{1,3})?$"#, options: [.regularExpression, .caseInsensitive]) != nil
    }

    /// Lines (digits ignored, so "Page 3" matches "Page 4") found on at least half of the pages,
    /// when there are three pages or more.
    static func repeatedLines(_ pages: [String]) -> Set<String> {
        let nonEmpty = pages.filter { !$0.trimmedSpaces.isEmpty }
        guard nonEmpty.count >= 3 else { return [] }
        var counts: [String: Int] = [:]
        for page in nonEmpty {
            let lines = Set(page.split(separator: "\n").map { normalised(String($0)) }.filter { $0.count >= 3 && $0.count <= 120 })
            for line in lines { counts[line, default: 0] += 1 }
        }
        return Set(counts.filter { $0.value * 2 >= nonEmpty.count }.keys)
    }

    /// Ends a sentence at . ! or ? followed by a space and a capital, digit or quote, unless the
    /// word before the stop is a known abbreviation or a single initial.
    /// A sentence, and whether it ended with . ! or ? (a heading does not).
    struct Piece { let text: String; let terminated: Bool }

    static func splitParagraph(_ paragraph: String) -> [Piece] {
        // Unicode scalars rather than Characters: the same decisions, far less work.
        var sentences: [Piece] = []
        let chars = Array(paragraph.unicodeScalars)
        func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }
        var start = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "." || c == "!" || c == "?" {
                var j = i + 1
                while j < chars.count, chars[j] == "\"" || chars[j] == "”" || chars[j] == "’" || chars[j] == ")" { j += 1 }
                if j < chars.count, isSpace(chars[j]) {
                    var k = j
                    while k < chars.count, isSpace(chars[k]) { k += 1 }
                    if k < chars.count, chars[k].properties.isUppercase || chars[k].properties.numericType != nil || chars[k] == "\"" || chars[k] == "“" {
                        if c != "." || !endsWithAbbreviation(chars, before: i) {
                            append(String(String.UnicodeScalarView(chars[start..<j])), to: &sentences)
                            start = k
                            i = k
                            continue
                        }
                    }
                }
            }
            i += 1
        }
        append(String(String.UnicodeScalarView(chars[start...])), to: &sentences)
        return sentences
    }

    private static func append(_ sentence: String, to sentences: inout [Piece]) {
        var s = sentence.trimmedSpaces
        let terminated = s.last.map { ".!?:;\"”)".contains($0) } ?? false
        // The AIMS.au sentences carry no final full stop; trimming it keeps input alike.
        if s.hasSuffix(".") { s.removeLast() }
        if s.contains(where: { $0.isLetter }) { sentences.append(Piece(text: s, terminated: terminated)) }
    }

    static func endsWithAbbreviation(_ chars: [Unicode.Scalar], before index: Int) -> Bool {
        var k = index - 1
        while k >= 0, !chars[k].properties.isWhitespace, chars[k] != "(" { k -= 1 }
        let word = String(String.UnicodeScalarView(chars[(k + 1)..<index])).lowercased()
        if word.unicodeScalars.count == 1, word.unicodeScalars.first?.properties.isAlphabetic == true { return true }
        return abbreviations.contains(word)
    }

    /// A short line with no closing punctuation (a heading) is joined to the sentence after it.
    static func mergeHeadings(_ pieces: [Piece]) -> [String] {
        var out: [String] = []
        var pendingHeading: String? = nil
        for piece in pieces {
            let s = piece.text
            let words = s.split(separator: " ").count
            let isHeading = !piece.terminated && words <= 8 && !s.contains(where: { $0 == "," })
                && s.first?.isUppercase == true
            if isHeading {
                pendingHeading = pendingHeading.map { $0 + " " + s } ?? s
                continue
            }
            if let heading = pendingHeading {
                out.append(heading + " " + s)
                pendingHeading = nil
            } else {
                out.append(s)
            }
        }
        if let heading = pendingHeading { out.append(heading) }
        return out
    }
}
