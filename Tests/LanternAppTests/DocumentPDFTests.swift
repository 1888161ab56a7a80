import Foundation
import LanternCore
import Testing
@testable import LanternApp

/// The PDFs people receive carry every script their names are written in, and are tagged
/// PDF/UA. `scripts/test` requires WeasyPrint (`LANTERN_REQUIRE_WEASYPRINT=1`); without it, on a
/// machine that has not installed it, there is nothing here to check.
@Suite struct DocumentPDFTests {
    static let names = ["Nguyễn Văn Thắng", "محمد علي", "ኣማኑኤል ተስፋይ", "王小明"]

    @Test func namesInVietnameseArabicTigrinyaAndChineseComeBackThroughPdftotext() async throws {
        guard DocumentPDF.isAvailable else {
            #expect(ProcessInfo.processInfo.environment["LANTERN_REQUIRE_WEASYPRINT"] != "1", "WeasyPrint is required here but not installed")
            return
        }
        let blocks: [TextPDF.Block] = [.title("Your personal data: SAR-2026-0001"), .heading("Case SC-2026-0004 (Case, 2026-11-02)")]
            + Self.names.map { .paragraph("Name: \($0)") } + [.paragraph("A note with <b>markup</b> & an ampersand")]
        let pdf = try await DocumentPDF.render(title: "Subject access SAR-2026-0001", blocks: blocks)
        #expect(pdf.starts(with: Data("%PDF-".utf8)))
        // Bidirectional marks pdftotext adds around right-to-left text are not part of the name.
        let text = try ProgrammeTests.pdftotext(pdf).filter { !"\u{202A}\u{202B}\u{202C}\u{200E}\u{200F}".contains($0) }
        for name in Self.names { #expect(text.contains(name), "\(name) did not come back: \(text)") }
        #expect(text.contains("A note with <b>markup</b> & an ampersand"))
        #expect(!text.contains("?"), "a character fell back to a question mark")
        // Tagged, and declared PDF/UA-1 in its metadata, as poppler reads them.
        let info = try Self.pdfinfo(pdf, ["-meta"])
        #expect(info.contains("pdfuaid:part=\"1\""))
        #expect(try Self.pdfinfo(pdf, []).contains("Tagged:          yes"))
    }

    static func pdfinfo(_ pdf: Data, _ arguments: [String]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pdfinfo"] + arguments + [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: out, as: UTF8.self)
    }
}
