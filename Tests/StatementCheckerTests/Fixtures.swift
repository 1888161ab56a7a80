import Foundation

/// Small documents the tests build themselves.
enum Fixtures {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared").standardized

    static func seed(_ prefix: String) throws -> Data {
        let dir = shared.appendingPathComponent("seeds")
        let name = try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix(prefix) }!
        return try Data(contentsOf: dir.appendingPathComponent(name))
    }

    /// A minimal PDF with one text line per entry on each page (Helvetica, no compression).
    /// `encrypted` adds a standard security handler whose empty user password does not open it.
    static func pdf(pages: [[String]], encrypted: Bool = false) -> Data {
        var objects: [String] = []
        let pageCount = pages.count
        // 1 catalog, 2 pages, 3 font, then page/content pairs.
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        let kids = (0..<pageCount).map { "\(4 + 2 * $0) 0 R" }.joined(separator: " ")
        objects.append("<< /Type /Pages /Kids [\(kids)] /Count \(pageCount) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        for (i, lines) in pages.enumerated() {
            var stream = "BT /F1 11 Tf 14 TL 50 780 Td\n"
            for line in lines {
                let escaped = line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
                stream += "(\(escaped)) Tj T*\n"
            }
            stream += "ET"
            if lines.isEmpty { stream = "0 0 1 rg 100 100 200 200 re f" }
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources << /Font << /F1 3 0 R >> >> /Contents \(5 + 2 * i) 0 R >>")
            objects.append("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream")
        }
        if encrypted {
            let hex = String(repeating: "7a", count: 32)
            objects.append("<< /Filter /Standard /V 1 /R 2 /O <\(hex)> /U <\(String(repeating: "3c", count: 32))> /P -4 >>")
        }
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { out += String(format: "%010d 00000 n \n", o) }
        var trailer = "/Size \(objects.count + 1) /Root 1 0 R"
        if encrypted { trailer += " /Encrypt \(objects.count) 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]" }
        out += "trailer\n<< \(trailer) >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }

    /// A .docx holding the given paragraphs, zipped with the `zip` tool.
    static func docx(paragraphs: [String]) throws -> Data {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("docx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("word"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let body = paragraphs.map { "<w:p><w:r><w:t>\($0.replacingOccurrences(of: "&", with: "&amp;"))</w:t></w:r></w:p>" }.joined()
        try #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#
            .write(to: dir.appendingPathComponent("[Content_Types].xml"), atomically: true, encoding: .utf8)
        try "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\(body)</w:body></w:document>"
            .write(to: dir.appendingPathComponent("word/document.xml"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zip")
        process.currentDirectoryURL = dir
        process.arguments = ["-q", "-r", "out.docx", "[Content_Types].xml", "word"]
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: dir.appendingPathComponent("out.docx"))
    }

    static let statementLines = [
        "Modern Slavery Statement 2024/25",
        "This statement is made pursuant to section 54 of the Modern Slavery Act 2015 and sets out the",
        "steps Example Homes Limited has taken to prevent slavery and human traf-",
        "ficking in its business and supply chains.",
        "We provide training on modern slavery to all procurement staff.",
        "This statement was approved by the Board of Directors on 12 May 2025.",
    ]
}
