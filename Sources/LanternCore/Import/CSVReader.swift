import Foundation

/// Reads a CSV file as finance systems and spreadsheets write it (RFC 4180: quoted fields,
/// doubled quotes, CRLF or LF, line breaks inside quotes), keeping the line each row starts
/// on so every problem can be reported by line. Works on bytes, which keeps a 100,000-row
/// file well under a second.
///
/// Encodings: UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark;
/// a file with no UTF-8 at all is read as Windows-1252 (what Excel's plain "CSV" writes in
/// the UK). A file that mixes UTF-8 with other bytes has its broken lines reported rather
/// than guessed at, so no name is silently mangled.
public struct CSVFile: Sendable {
    public enum Encoding: String, Sendable { case utf8 = "UTF-8", utf16 = "UTF-16", windows1252 = "Windows-1252" }

    public struct Row: Sendable {
        public let line: Int
        public let fields: [String]
    }

    public let header: [String]
    public let rows: [Row]
    public let encoding: Encoding
    /// Lines that could not be read at all (bad bytes, too many fields, an unclosed quote).
    public let unreadable: [(line: Int, reason: String)]

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case noHeader
        case tooManyRows(rows: Int, limit: Int)
        public var description: String {
            switch self {
            case .empty: "the file is empty"
            case .noHeader: "the first line must be a header naming the columns"
            case .tooManyRows(let rows, let limit):
                "the file has \(rows.formatted(.number.locale(Locale(identifier: "en_GB")))) rows; one import takes at most \(limit.formatted(.number.locale(Locale(identifier: "en_GB")))). Split it into smaller files"
            }
        }
    }

    /// The most rows one file may hold: enough for a large council's register, and small enough
    /// that confirming it never holds the database for long.
    public static let maxRows = 100_000

    /// Rows already split into fields (from JSON, say), numbered as a file's lines would be.
    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows.enumerated().map { Row(line: $0.offset + 2, fields: $0.element) }
        self.encoding = .utf8
        self.unreadable = []
    }

    public init(data: Data, maxRows: Int = CSVFile.maxRows) throws {
        guard !data.isEmpty else { throw Problem.empty }
        var bytes = [UInt8](data)
        var encoding = Encoding.utf8
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: data, encoding: .utf16) else { throw Problem.empty }
            bytes = Array(text.utf8)
            encoding = .utf16
        }
        if encoding == .utf8, String(validating: bytes, as: UTF8.self) == nil {
            // A file with some UTF-8 was meant to be UTF-8: its broken lines are reported below.
            if !CSVFile.containsUTF8Sequence(bytes), let text = String(data: Data(bytes), encoding: .windowsCP1252) ?? String(data: Data(bytes), encoding: .isoLatin1) {
                bytes = Array(text.utf8)
                encoding = .windows1252
            }
        }
        let parsed = CSVFile.parse(bytes)
        guard let first = parsed.records.first else {
            if let problem = parsed.unreadable.first, problem.line == 1 { throw Problem.noHeader }
            throw Problem.empty
        }
        let dataRows = parsed.records.count - 1 + parsed.unreadable.filter { $0.line > first.line }.count
        guard dataRows <= maxRows else { throw Problem.tooManyRows(rows: dataRows, limit: maxRows) }
        header = first.fields.map { CSVFile.columnName($0) }
        guard header.contains(where: { !$0.isEmpty }) else { throw Problem.noHeader }
        var unreadable = parsed.unreadable
        var rows: [Row] = []
        rows.reserveCapacity(parsed.records.count)
        for record in parsed.records.dropFirst() {
            if record.fields.count > header.count, record.fields[header.count...].contains(where: { !$0.isEmpty }) {
                unreadable.append((record.line, "has \(record.fields.count) fields but the header has \(header.count); quote any field that contains a comma"))
                continue
            }
            var fields = Array(record.fields.prefix(header.count))
            while fields.count < header.count { fields.append("") }
            rows.append(Row(line: record.line, fields: fields))
        }
        self.rows = rows
        self.encoding = encoding
        self.unreadable = unreadable.sorted { $0.line < $1.line }
    }

    /// "Company Number " → "company_number".
    public static func columnName(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespaces).lowercased()
            .map { $0.isLetter || $0.isNumber ? $0 : "_" }
            .reduce(into: "") { out, c in if !(c == "_" && out.hasSuffix("_")) { out.append(c) } }
            .trimmingCharacters(in: CharacterSet(charactersIn: "_"))
    }

    public func index(of column: String) -> Int? { header.firstIndex(of: column) }

    /// Any well-formed multi-byte UTF-8 sequence: the file was meant to be UTF-8.
    static func containsUTF8Sequence(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i + 1 < bytes.count {
            let b = bytes[i]
            let length = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 1
            if length > 1, i + length <= bytes.count, (1..<length).allSatisfy({ bytes[i + $0] & 0xC0 == 0x80 }),
               String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil {
                return true
            }
            i += 1
        }
        return false
    }

    private struct Record { let line: Int; let fields: [String] }

    private static func parse(_ bytes: [UInt8]) -> (records: [Record], unreadable: [(line: Int, reason: String)]) {
        let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        var records: [Record] = []
        var unreadable: [(line: Int, reason: String)] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var badField = false
        var inQuotes = false
        var line = 1, recordLine = 1, quoteLine = 1
        var i = 0
        let n = bytes.count

        func finishField() {
            // Spaces around a field are dropped here, on bytes: Foundation's trimming is slow on Linux.
            var start = field.startIndex, end = field.endIndex
            while start < end, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
            while end > start, field[end - 1] == 0x20 || field[end - 1] == 0x09 { end -= 1 }
            if let text = String(validating: field[start..<end], as: UTF8.self) {
                fields.append(text)
            } else {
                badField = true
                fields.append("")
            }
            field.removeAll(keepingCapacity: true)
        }
        func finishRecord() {
            finishField()
            if badField {
                unreadable.append((recordLine, "is not UTF-8 text (the file mixes character encodings); save the file as \"CSV UTF-8\" and try again"))
            } else if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
            badField = false
        }

        while i < n {
            let b = bytes[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < n, bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                    inQuotes = false
                } else {
                    if b == lf || (b == cr && !(i + 1 < n && bytes[i + 1] == lf)) { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case quote where field.allSatisfy({ $0 == 0x20 }):
                field.removeAll(keepingCapacity: true)
                inQuotes = true
                quoteLine = line
            case comma:
                finishField()
            case cr, lf:
                if b == cr, i + 1 < n, bytes[i + 1] == lf { i += 1 }
                finishRecord()
                line += 1
                recordLine = line
            default:
                field.append(b)
            }
            i += 1
        }
        if inQuotes {
            unreadable.append((quoteLine, "opens a quoted field that is never closed, so this line and everything after it could not be read"))
            fields.removeAll()
            field.removeAll()
        } else if !field.isEmpty || !fields.isEmpty {
            finishRecord()
        }
        return (records, unreadable)
    }

    /// Quotes a field when it holds a comma, quote or line break; neutralises a leading
    /// `= + - @` so a spreadsheet never runs a cell as a formula (CSV injection).
    public static func escape(_ field: String) -> String {
        var value = field
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(value) == nil {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One CSV document from a header and rows, CRLF line ends as RFC 4180 asks.
    public static func write(header: [String], rows: [[String]]) -> String {
        var out = header.map(escape).joined(separator: ",") + "\r\n"
        for row in rows { out += row.map(escape).joined(separator: ",") + "\r\n" }
        return out
    }
}
