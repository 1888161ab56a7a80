import Foundation

/// A plain multi-page PDF of the given lines (Helvetica, uncompressed), for timing extraction.
enum BenchmarkPDF {
    static func make(lines: [String], linesPerPage: Int) -> Data {
        let pages = stride(from: 0, to: lines.count, by: linesPerPage).map { Array(lines[$0..<min($0 + linesPerPage, lines.count)]) }
        var objects = ["<< /Type /Catalog /Pages 2 0 R >>",
                       "<< /Type /Pages /Kids [\((0..<pages.count).map { "\(4 + 2 * $0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>",
                       "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
        for (i, page) in pages.enumerated() {
            let text = page.map { line -> String in
                let ascii = String(line.unicodeScalars.filter { $0.isASCII }.map(Character.init)).prefix(110)
                return "(" + ascii.replacingOccurrences(of: "\\", with: "").replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "") + ") Tj T*"
            }.joined(separator: "\n")
            let stream = "BT /F1 9 Tf 11 TL 40 800 Td\n\(text)\nET"
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources << /Font << /F1 3 0 R >> >> /Contents \(5 + 2 * i) 0 R >>")
            objects.append("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream")
        }
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() { offsets.append(out.utf8.count); out += "\(i + 1) 0 obj\n\(o)\nendobj\n" }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n" + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }
}
