import Foundation

/// The audit log's head as recorded once a day outside the database, one line each in a file
/// beside the data: `2026-12-06 4711 <sha-256>`. A later verify checks each recorded row still
/// has its hash, so rewriting the whole table (and re-hashing it) is caught without anyone
/// having to pass `--expect-head` (`shared/docs/domain/security.md` §4).
public struct AuditHeadRecord: Sendable, Equatable {
    public var day: String
    public var sequence: Int64
    public var hash: String

    public init(day: String, sequence: Int64, hash: String) {
        self.day = day
        self.sequence = sequence
        self.hash = hash
    }

    public var line: String { "\(day) \(sequence) \(hash)\n" }

    /// Lines that are not records (a hand-edited note, a torn last line) are skipped.
    public static func parse(_ text: String) -> [AuditHeadRecord] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, Day(parsing: String(parts[0])) != nil, let sequence = Int64(parts[1]), sequence >= 0,
                  parts[2].count == 64, parts[2].allSatisfy({ $0.isHexDigit }) else { return nil }
            return AuditHeadRecord(day: String(parts[0]), sequence: sequence, hash: String(parts[2]))
        }
    }
}
