import ArgumentParser
import Foundation
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
        let fetcher = StatementFetcher()
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
                reports.append(checker.check(text: document.text, source: source, kind: document.kind.rawValue))
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

    /// Fixed output header: statement_id, sentence_index, then the 11 labels.
    func classifyCSV(input: String, output: String, checker: StatementCheck) throws {
        guard let data = FileManager.default.contents(atPath: input) else { throw CommandFailure("\(input): cannot be read") }
        let table: CSVTable
        let columns: [Int]
        do {
            table = try CSVTable(data: data)
            columns = try table.requireColumns(["statement_id", "sentence"])
        } catch {
            throw CommandFailure("\(input): \(error)")
        }
        var order: [String] = []
        var grouped: [String: [(row: Int, sentence: String)]] = [:]
        var problems: [String] = []
        for (position, row) in table.rows.enumerated() {
            guard row.fields.count > max(columns[0], columns[1]) else {
                problems.append("line \(row.line): expected \(table.header.count) fields, found \(row.fields.count)")
                continue
            }
            let id = row.fields[columns[0]]
            if grouped[id] == nil { order.append(id); grouped[id] = [] }
            grouped[id]!.append((position, row.fields[columns[1]]))
        }
        guard problems.isEmpty else {
            throw CommandFailure("\(input): \(problems.count) malformed row(s), nothing written:\n  " + problems.joined(separator: "\n  "))
        }
        var rows = [String](repeating: "", count: table.rows.count)
        for id in order {
            let items = grouped[id]!
            let probabilities = checker.classify(items.map(\.sentence))
            for (k, item) in items.enumerated() {
                let flags = AIMSLabel.allCases.map { probabilities[k][$0.rawValue] >= checker.classifier.thresholds[$0.rawValue] ? "1" : "0" }
                rows[item.row] = ([CSVTable.escape(id), String(k)] + flags).joined(separator: ",")
            }
        }
        let header = (["statement_id", "sentence_index"] + AIMSLabel.allCases.map(\.columnName)).map(CSVTable.escape).joined(separator: ",")
        do {
            try ([header] + rows).joined(separator: "\n").appending("\n").write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure("\(output): cannot be written (\(error.localizedDescription))")
        }
        FileHandle.standardError.write(Data("Wrote \(rows.count) rows for \(order.count) statements to \(output)\n".utf8))
    }
}
