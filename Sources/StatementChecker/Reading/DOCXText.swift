import Foundation

/// Text of a Word .docx: the paragraphs of `word/document.xml`, read with `unzip`.
struct DOCXText {
    let timeout: TimeInterval

    func extract(_ data: Data) throws -> String {
        guard let unzip = ExternalTool.find("unzip") else { throw ReadProblem.toolMissing("unzip") }
        let result = try ExternalTool.withTemporaryFile(data, suffix: ".docx") { path in
            try ExternalTool(timeout: timeout).run(unzip, ["-p", path, "word/document.xml"])
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
        return HTMLText.decodeEntities(s)
    }
}
