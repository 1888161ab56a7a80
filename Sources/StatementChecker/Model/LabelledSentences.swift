import Foundation

/// Sentences with gold labels, grouped by statement in reading order: the AIMS.au test set
/// (`shared/data/aims-au/test.csv`), and, when asked for, the organisation's reviewers'
/// corrections of its own checks.
public struct LabelledSentences: Sendable {
    public struct Statement: Sendable {
        public let id: String
        public let sentences: [String]
        /// labels[sentence][label]
        public let labels: [[Bool]]
        /// Which labels this statement's labels say anything about: all of them for AIMS.au; for
        /// a reviewer's corrections, only the criteria they reviewed. A label not known here
        /// is left out of that label's training and scoring.
        public let known: [Bool]
        /// Where it came from, so an evaluation can report each set apart: "aims" or "corrections".
        public let source: String

        public init(id: String, sentences: [String], labels: [[Bool]], known: [Bool]? = nil, source: String = "aims") {
            self.id = id
            self.sentences = sentences
            self.labels = labels
            self.known = known ?? [Bool](repeating: true, count: AIMSLabel.allCases.count)
            self.source = source
        }
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
