import Foundation

/// A plain, accessible-to-extraction PDF of headed paragraphs: A4, the standard Helvetica fonts
/// (which every reader has, so nothing is embedded), WinAnsi text that `pdftotext` and screen
/// readers read back as written. Enough for a published statement; not a layout engine.
/// Source: ISO 32000-1 (the file structure, the standard 14 fonts, WinAnsiEncoding).
public struct TextPDF: Sendable {
    public enum Block: Sendable, Equatable {
        case title(String)
        case heading(String)
        case paragraph(String)
    }

    public var blocks: [Block]
    public var documentTitle: String

    public init(title: String, blocks: [Block]) {
        self.documentTitle = title
        self.blocks = blocks
    }

    static let pageWidth = 595.0, pageHeight = 842.0, margin = 60.0

    /// The PDF file's bytes.
    public func render() -> Data {
        var pages: [String] = []
        var content = ""
        var y = Self.pageHeight - Self.margin
        func newPage() {
            pages.append(content)
            content = ""
            y = Self.pageHeight - Self.margin
        }
        for block in blocks {
            let (font, size, gapBefore): (String, Double, Double) = switch block {
            case .title: ("F2", 18, 0)
            case .heading: ("F2", 13, 10)
            case .paragraph: ("F1", 10.5, 4)
            }
            let text: String = switch block { case .title(let t), .heading(let t), .paragraph(let t): t }
            let lines = Self.wrap(text, size: size, bold: font == "F2", width: Self.pageWidth - 2 * Self.margin)
            let leading = size * 1.35
            // A heading is not left alone at the foot of a page.
            let needed = gapBefore + leading * Double(font == "F2" && block != .title(text) ? min(lines.count + 2, 4) : 1)
            if y - needed < Self.margin { newPage() }
            y -= gapBefore
            for line in lines {
                if y - leading < Self.margin { newPage() }
                y -= leading
                content += "BT /\(font) \(Self.number(size)) Tf \(Self.number(Self.margin)) \(Self.number(y)) Td (\(Self.escape(line))) Tj ET\n"
            }
        }
        if !content.isEmpty || pages.isEmpty { pages.append(content) }

        var objects: [[UInt8]] = []
        func add(_ object: String) { objects.append(Self.winAnsi(object)) }
        // 1 catalog, 2 pages, 3 Helvetica, 4 Helvetica-Bold, 5 info, then page/content pairs.
        let pageIDs = pages.indices.map { 6 + 2 * $0 }
        add("<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) /ViewerPreferences << /DisplayDocTitle true >> >>")
        add("<< /Type /Pages /Kids [\(pageIDs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>")
        add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
        add("<< /Title (\(Self.escape(documentTitle))) /Producer (Lantern) >>")
        for (i, page) in pages.enumerated() {
            add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Int(Self.pageWidth)) \(Int(Self.pageHeight))] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents \(pageIDs[i] + 1) 0 R >>")
            let bytes = Self.winAnsi(page)
            objects.append(Self.winAnsi("<< /Length \(bytes.count) >>\nstream\n") + bytes + Self.winAnsi("\nendstream"))
        }
        var out = Data("%PDF-1.4\n".utf8) + Data([0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
        var offsets: [Int] = []
        for (i, object) in objects.enumerated() {
            offsets.append(out.count)
            out.append(Data("\(i + 1) 0 obj\n".utf8))
            out.append(contentsOf: object)
            out.append(Data("\nendobj\n".utf8))
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 5 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        out.append(Data(table.utf8))
        return out
    }

    /// Text to WinAnsi bytes; characters outside it become "?". Byte-for-byte, so stream lengths are exact.
    static func winAnsi(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 || (0xA0...0xFF).contains(scalar.value) { bytes.append(UInt8(scalar.value)) }
            else if let b = special[scalar.value] { bytes.append(b) }
            else { bytes.append(0x3F) }
        }
        return bytes
    }

    /// The WinAnsi code points above 0x7F that are not Latin-1 (ISO 32000-1 Annex D).
    static let special: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02C6: 0x88,
        0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93,
        0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B,
        0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "(", ")", "\\": out += "\\" + String(c)
            case "\n", "\r", "\t": out += " "
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func number(_ v: Double) -> String { String(format: "%.2f", v) }

    /// Helvetica advance widths (per 1000 em) for ASCII 32–126, from the standard AFM files.
    static let regularWidths: [Int] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
        556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
        556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ]
    static let boldWidths: [Int] = [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
        556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
        611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    ]

    static func width(_ word: Substring, size: Double, bold: Bool) -> Double {
        let table = bold ? boldWidths : regularWidths
        return word.unicodeScalars.reduce(0.0) { sum, s in
            let v = Int(s.value)
            return sum + Double((32...126).contains(v) ? table[v - 32] : 556) * size / 1000
        }
    }

    /// Greedy word wrap to the text width.
    static func wrap(_ text: String, size: Double, bold: Bool, width: Double) -> [String] {
        var lines: [String] = [], current = ""
        var currentWidth = 0.0
        let space = Self.width(" ", size: size, bold: bold)
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let w = Self.width(word, size: size, bold: bold)
            if !current.isEmpty && currentWidth + space + w > width {
                lines.append(current)
                current = String(word); currentWidth = w
            } else {
                current += (current.isEmpty ? "" : " ") + word
                currentWidth += (currentWidth == 0 ? 0 : space) + w
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines
    }
}
