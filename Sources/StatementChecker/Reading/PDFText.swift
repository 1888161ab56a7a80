import Foundation

/// Text of a PDF through poppler's `pdftotext` (pages separated by form feeds). A PDF with no
/// text layer is run through `tesseract` when it is installed.
struct PDFText {
    let timeout: TimeInterval

    func extract(_ data: Data) throws -> (text: String, usedOCR: Bool) {
        guard let pdftotext = ExternalTool.find("pdftotext") else { throw ReadProblem.toolMissing("pdftotext") }
        let tool = ExternalTool(timeout: timeout)
        return try ExternalTool.withTemporaryFile(data, suffix: ".pdf") { path in
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
