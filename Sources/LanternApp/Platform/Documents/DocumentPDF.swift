import Foundation
import LanternCore
import StatementChecker

/// The PDFs people receive (a subject access copy, the published statements), rendered from
/// HTML by WeasyPrint as tagged PDF/UA-1 with fonts that cover the scripts of the people
/// Lantern serves (Noto: Latin with Vietnamese, Arabic, Ethiopic for Tigrinya, CJK). The
/// Public Sector Bodies Accessibility Regulations 2018 ask for accessible published documents.
/// Without WeasyPrint (a development machine) the built-in writer is used: Latin text only,
/// untagged; `lantern` says so when it starts.
enum DocumentPDF {
    static var isAvailable: Bool { ExternalTool.find("weasyprint") != nil }

    /// Renders away from the event loop: WeasyPrint takes a second or two.
    static func render(title: String, blocks: [TextPDF.Block]) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try renderNow(title: title, blocks: blocks) })
            }
        }
    }

    static func renderNow(title: String, blocks: [TextPDF.Block]) throws -> Data {
        guard let weasyprint = ExternalTool.find("weasyprint") else {
            return TextPDF(title: title, blocks: blocks).render()
        }
        let html = Self.html(title: title, blocks: blocks)
        return try ExternalTool.withTemporaryFile(Data(html.utf8), suffix: ".html") { path in
            let result = try ExternalTool(timeout: 120).run(weasyprint, ["--pdf-variant", "pdf/ua-1", "--quiet", path, "-"], maxOutput: 100 * 1_048_576)
            guard result.status == 0, result.stdout.starts(with: Data("%PDF-".utf8)) else {
                throw DocumentProblem("The PDF could not be made: \(result.stderr.split(separator: "\n").last.map(String.init) ?? "WeasyPrint exit \(result.status)")")
            }
            return result.stdout
        }
    }

    /// The document as HTML: headings and paragraphs, each paragraph's direction taken from
    /// its own text, so an Arabic name reads right to left inside an English line.
    static func html(title: String, blocks: [TextPDF.Block]) -> String {
        var body = ""
        for block in blocks {
            switch block {
            case .title(let text): body += "<h1>\(escape(text))</h1>\n"
            case .heading(let text): body += "<h2 dir=\"auto\">\(escape(text))</h2>\n"
            case .paragraph(let text): body += "<p dir=\"auto\">\(escape(text))</p>\n"
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <title>\(escape(title))</title>
        <style>
        @page { size: A4; margin: 2cm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
        body { font-family: "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans Ethiopic", "Noto Sans CJK SC", sans-serif; font-size: 11pt; line-height: 1.45; color: #0b0c0c; }
        h1 { font-size: 20pt; margin: 0 0 12pt; }
        h2 { font-size: 14pt; margin: 16pt 0 6pt; }
        p { margin: 0 0 6pt; }
        </style>
        </head>
        <body>
        \(body)</body>
        </html>
        """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

struct DocumentProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
