import Foundation

/// Text of a Word .docx: the paragraphs of `word/document.xml`, streamed out of the archive by
/// `unzip` and cut off at a cap, so a zip bomb is refused with bounded memory.
struct DOCXText {
    let timeout: TimeInterval

    /// The most a document part may inflate to: 20 MB, and never more than 100 times the
    /// .docx itself (Word's XML compresses about ten to one; a bomb a thousand to one).
    static func inflatedLimit(compressedSize: Int) -> Int {
        min(ExternalTool.defaultMaxOutput, max(2 * 1_048_576, compressedSize * 100))
    }

    func extract(_ data: Data) throws -> String {
        guard let unzip = ExternalTool.find("unzip") else { throw ReadProblem.toolMissing("unzip") }
        let result = try ExternalTool.withTemporaryFile(data, suffix: ".docx") { path in
            try ExternalTool(timeout: timeout).run(unzip, ["-p", path, "word/document.xml"], maxOutput: Self.inflatedLimit(compressedSize: data.count))
        }
        guard result.status == 0, !result.stdout.isEmpty else { throw ReadProblem.corruptDOCX }
        return Self.text(fromDocumentXML: String(decoding: result.stdout, as: UTF8.self))
    }

    static func text(fromDocumentXML xml: String) -> String {
        var s = xml
        s = s.replacingOccurrences(of: #"</w:p>"#, with: "\n\n")
        s = s.replacingOccurrences(of: #"<w:tab/>"#, with: "\t")
        s = s.replacingOccurrences(of: #"<w:br[^>]*/>"#, with: "\n", options: .regularExpression)
        s = s.replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
        // A raw "<" in Word's XML only ever opens a tag (text carries &lt;): one cut off by a
        // truncated part is dropped, not shown as words.
        s = s.replacingOccurrences(of: #"<[^>]*$"#, with: "", options: .regularExpression)
        return HTMLText.decodeEntities(s)
    }
}
