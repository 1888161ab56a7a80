import Foundation

/// Text of a PDF through poppler's `pdftotext` (pages separated by form feeds). A PDF with no
/// text layer is run through `tesseract` when it is installed.
struct PDFText {
    let timeout: TimeInterval
    /// A statement is a few pages; the longest annual reports that carry one run to a few hundred.
    static let maxPages = 500

    func extract(_ data: Data) throws -> (text: String, usedOCR: Bool) {
        guard let pdftotext = ExternalTool.find("pdftotext") else { throw ReadProblem.toolMissing("pdftotext") }
        let tool = ExternalTool(timeout: timeout)
        return try ExternalTool.withTemporaryFile(data, suffix: ".pdf") { path in
            if let pdfinfo = ExternalTool.find("pdfinfo"), let pages = Self.pageCount(try tool.run(pdfinfo, [path], maxOutput: 1 << 20)),
               pages > Self.maxPages {
                throw ReadProblem.tooManyPages(pages: pages, limit: Self.maxPages)
            }
            let result = try tool.run(pdftotext, ["-enc", "UTF-8", "-eol", "unix", path, "-"])
            if result.status != 0 {
                let message = result.stderr.lowercased()
                if message.contains("incorrect password") || message.contains("encrypted") { throw ReadProblem.encryptedPDF }
                let detail = result.stderr.split(separator: "\n").last.map(String.init) ?? "pdftotext exit \(result.status)"
                throw ReadProblem.corruptPDF(detail.replacingOccurrences(of: path, with: "the file"))
            }
            let text = String(decoding: result.stdout, as: UTF8.self)
            if text.contains(where: { $0.isLetter }) { return (text, false) }
            return (try ocr(path: path, tool: tool), true)
        }
    }

    /// The `Pages:` line of `pdfinfo`, when it answered.
    static func pageCount(_ info: ExternalTool.Result) -> Int? {
        guard info.status == 0 else { return nil }
        return String(decoding: info.stdout, as: UTF8.self).split(separator: "\n")
            .first { $0.hasPrefix("Pages:") }
            .flatMap { Int($0.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) }
    }

    /// Renders each page at 300 dpi and reads it with tesseract.
    private func ocr(path: String, tool: ExternalTool) throws -> String {
        guard let tesseract = ExternalTool.find("tesseract"), let pdftoppm = ExternalTool.find("pdftoppm") else {
            throw ReadProblem.scannedPDF(ocrAvailable: false)
        }
        let dir = (path as NSString).deletingLastPathComponent
        let slow = ExternalTool(timeout: timeout * 5)
        _ = try slow.run(pdftoppm, ["-r", "300", "-png", path, "\(dir)/page"])
        let pages = (try FileManager.default.contentsOfDirectory(atPath: dir)).filter { $0.hasPrefix("page") && $0.hasSuffix(".png") }.sorted()
        var text = ""
        for page in pages {
            let result = try slow.run(tesseract, ["\(dir)/\(page)", "-", "-l", "eng"])
            text += String(decoding: result.stdout, as: UTF8.self) + "\u{0C}"
        }
        guard text.contains(where: { $0.isLetter }) else { throw ReadProblem.scannedPDF(ocrAvailable: true) }
        return text
    }
}
