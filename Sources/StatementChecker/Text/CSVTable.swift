import Foundation

/// RFC 4180 CSV: a header row, fields optionally quoted with doubled quotes inside, CRLF or LF
/// line ends, newlines allowed inside quoted fields. Decodes UTF-8, or Latin-1/Windows-1252
/// when the bytes are not valid UTF-8.
public struct CSVTable: Sendable {
    public let header: [String]
    /// Each row with the line number it started on (the header is line 1).
    public let rows: [(line: Int, fields: [String])]

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case unterminatedQuote(line: Int)
        case missingColumns([String])
        public var description: String {
            switch self {
            case .empty: "the CSV file is empty"
            case .unterminatedQuote(let line): "a quoted field that starts on line \(line) is never closed"
            case .missingColumns(let names): "the CSV file has no column \(names.map { "'\($0)'" }.joined(separator: " or "))"
            }
        }
    }

    public init(data: Data) throws {
        let text = TextDecoding.decode(data).text
        var records: [(Int, [String])] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var chars = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return chars.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let after = next() {
                        if after == "\"" { field.append("\"") } else { inQuotes = false; pending = after }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty:
                inQuotes = true
                quoteLine = line
            case ",":
                fields.append(field); field = ""
            case "\n", "\r\n", "\r":
                fields.append(field); field = ""
                if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
                fields = []
                line += 1
                recordLine = line
            default:
                field.append(c)
            }
        }
        if inQuotes { throw Problem.unterminatedQuote(line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); records.append((recordLine, fields)) }
        guard let first = records.first else { throw Problem.empty }
        header = first.1.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = records.dropFirst().map { (line: $0.0, fields: $0.1) }
    }

    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    public func requireColumns(_ names: [String]) throws -> [Int] {
        let missing = names.filter { column($0) == nil }
        guard missing.isEmpty else { throw Problem.missingColumns(missing) }
        return names.map { column($0)! }
    }

    /// Quotes a field when it holds a comma, quote or line break.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
