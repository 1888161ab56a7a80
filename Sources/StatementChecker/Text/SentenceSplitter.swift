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
        let pages = lines(unified, separator: 0x0C)
        let repeated = repeatedLines(pages)
        var paragraphs: [String] = []
        var current = ""
        func flush() {
            let trimmed = current.trimmedSpaces
            if !trimmed.isEmpty { paragraphs.append(trimmed) }
            current = ""
        }
        for page in pages {
            for rawLine in lines(page, separator: 0x0A) {
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

    /// The parts of `text` between separator bytes (a line feed or form feed), empty parts kept.
    static func lines(_ text: String, separator: UInt8) -> [String] {
        text.utf8.split(separator: separator, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
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
            let pageLines = Set(lines(page, separator: 0x0A).map(normalised).filter { $0.count >= 3 && $0.count <= 120 })
            for line in pageLines { counts[line, default: 0] += 1 }
        }
        return Set(counts.filter { $0.value * 2 >= nonEmpty.count }.keys)
    }

    /// Ends a sentence at . ! or ? followed by a space and a capital, digit or quote, unless the
    /// word before the stop is a known abbreviation or a single initial.
    /// A sentence, and whether it ended with . ! or ? (a heading does not).
    struct Piece { let text: String; let terminated: Bool }

    static func splitParagraph(_ paragraph: String) -> [Piece] {
        // UTF-8 bytes, decoding a scalar only where a decision needs one: whole statements
        // arrive as one paragraph when the text has no line breaks.
        var sentences: [Piece] = []
        let bytes = Array(paragraph.utf8)
        let n = bytes.count
        var start = 0
        var i = 0
        while i < n {
            let c = bytes[i]
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "!") || c == UInt8(ascii: "?") {
                var j = i + 1
                while j < n {
                    if bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: ")") { j += 1; continue }
                    // ” and ’ (E2 80 9D, E2 80 99) close a sentence too.
                    if bytes[j] == 0xE2, j + 2 < n, bytes[j + 1] == 0x80, bytes[j + 2] == 0x9D || bytes[j + 2] == 0x99 { j += 3; continue }
                    break
                }
                if j < n, let (space, width) = UTF8Scan.scalar(bytes, at: j), space.properties.isWhitespace {
                    var k = j + width
                    while k < n, let (next, w) = UTF8Scan.scalar(bytes, at: k), next.properties.isWhitespace { k += w }
                    if k < n, let (next, _) = UTF8Scan.scalar(bytes, at: k),
                       next.properties.isUppercase || next.properties.numericType != nil || next == "\"" || next == "“" {
                        if c != UInt8(ascii: ".") || !endsWithAbbreviation(bytes, before: i) {
                            append(String(decoding: bytes[start..<j], as: UTF8.self), to: &sentences)
                            start = k
                            i = k
                            continue
                        }
                    }
                }
            }
            i += 1
        }
        append(String(decoding: bytes[start...], as: UTF8.self), to: &sentences)
        return sentences
    }

    private static func append(_ sentence: String, to sentences: inout [Piece]) {
        var s = sentence.trimmedSpaces
        let terminated = s.unicodeScalars.last.map { ".!?:;\"”)".unicodeScalars.contains($0) } ?? false
        // The AIMS.au sentences carry no final full stop; trimming it keeps input alike.
        if s.utf8.last == UInt8(ascii: ".") { s.removeLast() }
        if s.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) { sentences.append(Piece(text: s, terminated: terminated)) }
    }

    /// Whether the word before the full stop at `index` is a known abbreviation or a single letter.
    static func endsWithAbbreviation(_ bytes: [UInt8], before index: Int) -> Bool {
        var k = index - 1
        while k >= 0 {
            let b = bytes[k]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "(") { break }
            if b == 0xA0, k > 0, bytes[k - 1] == 0xC2 { break }  // no-break space
            k -= 1
        }
        let word = String(decoding: bytes[(k + 1)..<index], as: UTF8.self).lowercased()
        if word.unicodeScalars.count == 1, word.unicodeScalars.first?.properties.isAlphabetic == true { return true }
        return abbreviations.contains(word)
    }

    /// A short line with no closing punctuation (a heading) is joined to the sentence after it.
    static func mergeHeadings(_ pieces: [Piece]) -> [String] {
        var out: [String] = []
        var pendingHeading: String? = nil
        for piece in pieces {
            let s = piece.text
            let isHeading = !piece.terminated && UTF8Scan.wordCount(s) <= 8 && !s.utf8.contains(UInt8(ascii: ","))
                && s.unicodeScalars.first?.properties.isUppercase == true
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
