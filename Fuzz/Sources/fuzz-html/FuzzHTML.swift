import Foundation
import FuzzDriver
@testable import StatementChecker

/// Any page handed to the HTML text extractor gives text or a reading problem, never a crash or
/// a hang, and no script survives as text.
@main enum FuzzHTML {
    static func main() {
        FuzzDriver.run { data in
            let text = HTMLText.extract(TextDecoding.decode(data).text)
            precondition(!text.lowercased().contains("<script"), "a script element survived extraction")
            _ = try? DocumentReader().read(Data("<html><body>".utf8) + data)
        }
    }
}
