import Foundation

/// Sentences with gold labels, grouped by statement in reading order: the AIMS.au test set
/// (`shared/data/aims-au/test.csv`), the only training data the model sees.
public struct LabelledSentences: Sendable {
    public struct Statement: Sendable {
        public let id: String
        public let sentences: [String]
        /// labels[sentence][label]
        public let labels: [[Bool]]
    }

    public let statements: [Statement]

    public init(statements: [Statement]) { self.statements = statements }

    public init(csv data: Data) throws {
        let table = try CSVTable(data: data)
        let columns = try table.requireColumns(["statement_id", "sentence"] + AIMSLabel.allCases.map(\.columnName))
        var order: [String] = []
        var grouped: [String: ([String], [[Bool]])] = [:]
        for row in table.rows where row.fields.count >= table.header.count {
            let id = row.fields[columns[0]]
            if grouped[id] == nil { order.append(id); grouped[id] = ([], []) }
            grouped[id]!.0.append(row.fields[columns[1]])
            grouped[id]!.1.append(columns.dropFirst(2).map { row.fields[$0].trimmingCharacters(in: .whitespaces) == "1" })
        }
        statements = order.map { Statement(id: $0, sentences: grouped[$0]!.0, labels: grouped[$0]!.1) }
    }

    public var sentenceCount: Int { statements.reduce(0) { $0 + $1.sentences.count } }
}
