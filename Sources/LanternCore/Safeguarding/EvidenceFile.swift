import Foundation

/// The kinds of evidence file accepted, recognised by their content, never by the name.
///
/// Source: `shared/docs/domain/referrals.md` §3.5 and `security.md` §2 (JPG, PNG, PDF, DOC and
/// DOCX only, at most 25 MB each).
public enum EvidenceKind: String, CaseIterable, Codable, Sendable {
    case jpeg, png, pdf, doc, docx

    public static let maximumBytes = 25 * 1024 * 1024

    public var mediaType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .pdf: "application/pdf"
        case .doc: "application/msword"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
    }

    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .pdf: "pdf"
        case .doc: "doc"
        case .docx: "docx"
        }
    }

    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLarge(bytes: Int)
        case notAllowed

        public var description: String {
            switch self {
            case .empty: "The file is empty"
            case .tooLarge(let bytes):
                "The file is \(bytes / (1024 * 1024)) MB; files must be 25 MB or smaller"
            case .notAllowed:
                "The file must be a photo (JPG or PNG), a PDF or a Word document (DOC or DOCX); this file's content is none of those"
            }
        }
    }

    /// Recognises the file from its first bytes.
    public static func sniff(_ bytes: some Collection<UInt8>) -> Result<EvidenceKind, Refusal> {
        sniff(head: bytes.prefix(sniffedBytes), tail: bytes.suffix(sniffedBytes), count: bytes.count)
    }

    /// How much of each end of a file `sniff` looks at.
    public static let sniffedBytes = 64 * 1024

    /// The same check from the file's first and last `sniffedBytes` and its size, for a file read
    /// as it arrives and never held whole.
    public static func sniff(head: some Collection<UInt8>, tail: some Collection<UInt8>, count: Int) -> Result<EvidenceKind, Refusal> {
        if count == 0 { return .failure(.empty) }
        if count > maximumBytes { return .failure(.tooLarge(bytes: count)) }
        let start = Array(head.prefix(8))
        if start.starts(with: [0xFF, 0xD8, 0xFF]) { return .success(.jpeg) }
        if start.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .success(.png) }
        if start.starts(with: Array("%PDF-".utf8)) { return .success(.pdf) }
        if start.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .success(.doc) }
        if start.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            // A zip: a Word document names its main part in a local header near the start and
            // in the central directory at the end.
            if String(decoding: head, as: UTF8.self).contains("word/") || String(decoding: tail, as: UTF8.self).contains("word/document") {
                return .success(.docx)
            }
        }
        return .failure(.notAllowed)
    }

}
