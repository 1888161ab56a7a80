import Foundation

/// The sentence-level CSV interface: statement_id and sentence in, one row of 0/1
/// predictions per sentence out, in input order. The output header is fixed.
public enum SentenceCSV {
    public static let header = (["statement_id", "sentence_index"] + AIMSLabel.allCases.map(\.columnName))
        .map(CSVTable.escape).joined(separator: ",")

    public struct Result: Sendable {
        public let csv: String
        public let rows: Int
        public let statements: Int
    }

    public enum Problem: Error, CustomStringConvertible {
        case malformedRows([String])
        public var description: String {
            switch self {
            case .malformedRows(let lines): "\(lines.count) malformed row(s), nothing written:\n  " + lines.joined(separator: "\n  ")
            }
        }
    }

    public static func predict(_ data: Data, with checker: StatementCheck) throws -> Result {
        let table = try CSVTable(data: data)
        let columns = try table.requireColumns(["statement_id", "sentence"])
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
        guard problems.isEmpty else { throw Problem.malformedRows(problems) }
        var rows = [String](repeating: "", count: table.rows.count)
        for id in order {
            let items = grouped[id]!
            let predictions = checker.classifier.predictions(document: items.map(\.sentence))
            for (k, item) in items.enumerated() {
                let flags = predictions[k].map { $0 ? "1" : "0" }
                rows[item.row] = ([CSVTable.escape(id), String(k)] + flags).joined(separator: ",")
            }
        }
        return Result(csv: ([header] + rows).joined(separator: "\n") + "\n", rows: rows.count, statements: order.count)
    }
}
