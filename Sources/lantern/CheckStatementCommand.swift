import ArgumentParser
import Foundation
import LanternCore
import NIOCore
import StatementChecker

/// `lantern check-statement`: the statement checker from the command line. Its interface is
/// fixed; other tools depend on it.
struct CheckStatement: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-statement",
        abstract: "Report what modern slavery statements cover and lack, with evidence sentences.",
        discussion: """
            Exit status: 0 when every document was read, 2 when any could not be (one message each on standard error).
            With --sentences, classify the sentences of a CSV (columns statement_id and sentence, in reading order)
            and write one row of 0/1 predictions per sentence to --output.
            """)

    enum Format: String, ExpressibleByArgument { case text, json }

    @ArgumentParser.Argument(help: "Files (PDF, HTML, DOCX or text) or http(s) addresses.")
    var documents: [String] = []

    @ArgumentParser.Option(help: "text or json.") var format: Format = .text
    @ArgumentParser.Option(help: "A CSV of sentences to classify instead of documents.") var sentences: String?
    @ArgumentParser.Option(help: "Where to write the predictions for --sentences.") var output: String?
    @ArgumentParser.Option(help: "Seconds to wait for an address to answer.") var timeout: Int = 20

    func validate() throws {
        if sentences != nil && output == nil { throw ValidationError("--sentences needs --output.") }
        if sentences == nil && documents.isEmpty { throw ValidationError("Name at least one file or address, or use --sentences.") }
    }

    func run() async throws {
        let checker: StatementCheck
        do { checker = try StatementCheck.bundled() } catch { throw CommandFailure("\(error)") }
        if let sentences, let output {
            try classifyCSV(input: sentences, output: output, checker: checker)
            return
        }
        let reader = DocumentReader()
        let fetcher = StatementFetcher.configured(ProcessInfo.processInfo.environment, timeout: .seconds(Int64(max(1, timeout))))
        var reports: [StatementReport] = []
        var failures = 0
        for source in documents {
            do {
                let data: Data
                if StatementFetcher.isURL(source) {
                    data = try await fetcher.fetch(source)
                } else {
                    guard let contents = FileManager.default.contents(atPath: source) else {
                        throw CommandFailure(FileManager.default.fileExists(atPath: source) ? "cannot be read" : "no such file")
                    }
                    data = contents
                }
                let document = try reader.read(data)
                reports.append(checker.check(text: document.text, source: source, kind: document.kind.rawValue, now: LanternClock.system.now()))
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("\(source): \(error)\n".utf8))
            }
        }
        switch format {
        case .text:
            print(reports.map(\.text).joined(separator: "\n\n"))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        }
        if failures > 0 { throw ExitCode(2) }
    }

    func classifyCSV(input: String, output: String, checker: StatementCheck) throws {
        guard let data = FileManager.default.contents(atPath: input) else { throw CommandFailure("\(input): cannot be read") }
        let result: SentenceCSV.Result
        do {
            result = try SentenceCSV.predict(data, with: checker)
        } catch {
            throw CommandFailure("\(input): \(error)")
        }
        do {
            try result.csv.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure("\(output): cannot be written (\(error.localizedDescription))")
        }
        FileHandle.standardError.write(Data("Wrote \(result.rows) rows for \(result.statements) statements to \(output)\n".utf8))
    }
}
