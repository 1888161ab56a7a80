import Foundation

/// What an import would do, worked out before anything is written: the rows it would add,
/// the rows that match a record already there (merged only if the person confirms), and
/// every rejected row with its line and reason. Nothing is imported while any row is rejected.
/// Source: `shared/docs/domain/suppliers.md` §11 (upload → parse → match → confirm; warn
/// about duplicates before committing).
public struct ImportPlan<Row: Sendable>: Sendable {
    public struct Rejection: Sendable, Equatable {
        public let line: Int
        public let reason: String
        public init(line: Int, reason: String) { self.line = line; self.reason = reason }
    }

    public enum Match: Sendable, Equatable {
        case existing(id: UUID, name: String)
        case earlierLine(Int)
    }

    public struct Duplicate: Sendable {
        public let row: Row
        public let match: Match
        public let reason: String
    }

    public var newRows: [Row] = []
    public var duplicates: [Duplicate] = []
    public var rejected: [Rejection] = []
    public var encoding: CSVFile.Encoding = .utf8
    public var ignoredColumns: [String] = []
    public var rowCount = 0

    public init() {}

    public var canImport: Bool { rejected.isEmpty && rowCount > 0 }
}

/// Names compared the way people mean them: "ACME Cleaning Ltd." is "Acme Cleaning Limited".
public enum OrganisationName {
    static let dropped: Set<String> = ["the", "ltd", "limited", "plc", "llp", "lp", "co", "company", "inc", "uk"]

    public static func key(_ name: String) -> String {
        // Scalar by scalar: imports key every row, and Foundation's string functions are slow on Linux.
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() }
        }
        for scalar in name.unicodeScalars {
            switch scalar.value {
            case 0x61...0x7A, 0x30...0x39: current.append(scalar)
            case 0x41...0x5A: current.append(Unicode.Scalar(scalar.value + 32)!)
            case 0x26: flush(); words.append("and")
            case 0..<0x80: flush()
            default:
                if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar.properties.generalCategory == .nonspacingMark {
                    current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                } else {
                    flush()
                }
            }
        }
        flush()
        let kept = words.filter { !dropped.contains($0) }
        return (kept.isEmpty ? words : kept).joined(separator: " ")
    }
}

/// Companies House numbers: eight characters, digits or a two-letter prefix (SC, NI, OC…)
/// and six digits. Spreadsheets drop leading zeros, so short all-digit numbers are padded.
public enum CompanyNumber {
    public static func normalise(_ raw: String) -> String? {
        let compact = raw.uppercased().filter { !$0.isWhitespace }
        guard !compact.isEmpty else { return nil }
        if compact.allSatisfy(\.isASCIIDigit), compact.count <= 8 {
            return String(repeating: "0", count: 8 - compact.count) + compact
        }
        let letters = compact.prefix(2), digits = compact.dropFirst(2)
        guard compact.count == 8, letters.allSatisfy({ $0.isASCII && $0.isLetter }), digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return compact
    }
}

enum ImportValue {
    static func url(_ raw: String) -> String? {
        let lower = raw.lowercased()
        guard (lower.hasPrefix("http://") || lower.hasPrefix("https://")), raw.count <= 2000, !raw.contains(" ") else { return nil }
        return raw
    }

    static func flag(_ raw: String) -> Bool?? {
        switch raw.lowercased() {
        case "": .some(nil)
        case "yes", "y", "true", "1": true
        case "no", "n", "false", "0": false
        default: nil
        }
    }

    /// A list cell: "United Kingdom; Poland" or "Cleaning|Security".
    static func list(_ raw: String) -> [String] {
        raw.split(whereSeparator: { $0 == ";" || $0 == "|" }).map(trimmed).filter { !$0.isEmpty }
    }

    static func trimmed(_ text: Substring) -> String { text.trimmingSpaces }
}

extension StringProtocol {
    /// Spaces and tabs dropped from both ends without Foundation, which is slow at this on Linux.
    var trimmingSpaces: String {
        guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(self[first...last])
    }
}
