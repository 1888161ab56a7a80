/// Why a statement could not be read, worded for the person who supplied it.
public enum ReadProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLarge(bytes: Int, limit: Int)
    case encryptedPDF
    case corruptPDF(String)
    case scannedPDF(ocrAvailable: Bool)
    case corruptDOCX
    case unsupportedType(String)
    case notAStatement
    case toolMissing(String)
    case unreachable(url: String, reason: String)
    case httpStatus(url: String, status: Int)
    case timedOut(url: String)
    case tooManyRedirects(url: String)
    case badURL(String)
    /// More text inside a compressed document (or extracted from a PDF) than Lantern reads.
    case tooLargeUnpacked(limit: Int)
    case tooManyPages(pages: Int, limit: Int)

    public var description: String {
        switch self {
        case .empty: "the file is empty"
        case .tooLarge(let bytes, let limit):
            "the document is \(bytes / 1_048_576 + 1) MB; the limit is \(limit / 1_048_576) MB"
        case .encryptedPDF: "the PDF is encrypted (password-protected), so its text cannot be read; ask for an unprotected copy"
        case .corruptPDF(let detail): "the PDF is damaged or not a PDF (\(detail))"
        case .scannedPDF(let ocr):
            ocr ? "the PDF has no text layer and OCR found no text in it"
                : "the PDF has no text layer (it is a scan): OCR is needed; install tesseract-ocr, or ask for a text PDF"
        case .corruptDOCX: "the Word document is damaged or not a .docx file"
        case .unsupportedType(let kind): "\(kind) files are not supported; use PDF, HTML, DOCX or plain text"
        case .notAStatement: "the document does not mention modern slavery, slavery or human trafficking, so it does not look like a modern slavery statement"
        case .toolMissing(let tool): "\(tool) is not installed on this server (Debian package poppler-utils)"
        case .unreachable(let url, let reason): "\(url) could not be reached: \(reason)"
        case .httpStatus(let url, let status): "\(url) answered HTTP \(status)"
        case .timedOut(let url): "\(url) did not answer in time"
        case .tooManyRedirects(let url): "\(url) redirected more than 5 times"
        case .badURL(let url): "\(url) is not an http or https address"
        case .tooLargeUnpacked(let limit):
            "this document is too large once unpacked: it holds more than \(max(1, limit / 1_048_576)) MB of text, more than a statement has"
        case .tooManyPages(let pages, let limit): "the PDF has \(pages) pages; statements longer than \(limit) pages are not read"
        }
    }
}
