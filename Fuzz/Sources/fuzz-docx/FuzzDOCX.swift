import Foundation
import FuzzDriver
@testable import StatementChecker

/// A Word document's bytes end in its text or a reading problem. The first byte picks the
/// layer: the whole reader (an archive streamed through unzip under its cap) or the
/// document.xml-to-text step alone, which sees far more inputs a second.
@main enum FuzzDOCX {
    static func main() {
        FuzzDriver.run { data in
            guard let first = data.first else { return }
            if first & 1 == 0 {
                let archive = Data(data.dropFirst())
                if archive.starts(with: [0x50, 0x4B, 0x03, 0x04]) { _ = try? DOCXText(timeout: 5).extract(archive) }
            } else {
                let text = DOCXText.text(fromDocumentXML: String(decoding: data.dropFirst(), as: UTF8.self))
                precondition(!text.contains("<w:"), "a Word tag survived extraction")
            }
        }
    }
}
