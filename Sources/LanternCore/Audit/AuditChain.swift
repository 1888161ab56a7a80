import Crypto
import Foundation

/// The content of one audit row that its hash covers.
///
/// Source: `shared/docs/domain/security.md` §4: rows are append-only and each row's hash
/// covers the previous row's hash and its own content, so a verifier can walk the chain.
public struct AuditRecordContent: Sendable, Equatable {
    public var sequence: Int64
    /// Milliseconds since 1970: the precision every database keeps exactly.
    public var atMilliseconds: Int64
    public var actorID: String?
    public var actorRole: String?
    public var action: String
    public var entityType: String
    public var entityID: String?
    public var outcome: String
    public var requestID: String?
    public var detail: String?

    public init(sequence: Int64, atMilliseconds: Int64, actorID: String?, actorRole: String?,
                action: String, entityType: String, entityID: String?, outcome: String,
                requestID: String?, detail: String?) {
        self.sequence = sequence
        self.atMilliseconds = atMilliseconds
        self.actorID = actorID
        self.actorRole = actorRole
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.outcome = outcome
        self.requestID = requestID
        self.detail = detail
    }

    /// A length-prefixed encoding, so that no two different rows serialise alike
    /// (a "|" inside a field cannot shift the boundaries).
    var canonicalBytes: [UInt8] {
        let fields: [String?] = [
            String(sequence), String(atMilliseconds), actorID, actorRole, action, entityType,
            entityID, outcome, requestID, detail,
        ]
        var out: [UInt8] = []
        for field in fields {
            guard let field else { out.append(contentsOf: Array("-1:".utf8)); continue }
            let bytes = Array(field.utf8)
            out.append(contentsOf: Array("\(bytes.count):".utf8))
            out.append(contentsOf: bytes)
        }
        return out
    }
}

/// Hash-chain arithmetic for the audit log.
public enum AuditChain {
    /// The previous-hash of the very first row.
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(previous: String, content: AuditRecordContent) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(previous.utf8))
        hasher.update(data: content.canonicalBytes)
        return hasher.finalize().hexEncoded
    }

    public struct StoredRow: Sendable {
        public var content: AuditRecordContent
        public var previousHash: String
        public var hash: String
        public init(content: AuditRecordContent, previousHash: String, hash: String) {
            self.content = content
            self.previousHash = previousHash
            self.hash = hash
        }
    }

    public enum Break: Sendable, Equatable, CustomStringConvertible {
        /// A row's stored hash does not match its content: the row was altered.
        case altered(sequence: Int64)
        /// A row does not point at the hash of the row before it, or a sequence number is
        /// missing: rows were removed or inserted.
        case missing(afterSequence: Int64, found: Int64)
        /// The newest row is not the head recorded outside the database: rows were cut off the end.
        case headMismatch(expected: String, found: String)
        /// A head recorded outside the database (the daily record) no longer matches its row, or
        /// its row is gone: history was rewritten or cut.
        case recordedHeadChanged(sequence: Int64, recordedOn: String)

        public var description: String {
            switch self {
            case .altered(let s):
                "row \(s) was altered: its hash does not match its content"
            case .missing(let after, let found):
                "the chain breaks between row \(after) and row \(found): rows were removed or inserted"
            case .headMismatch(let expected, let found):
                "the newest row's hash is \(found), not the recorded head \(expected): rows were removed from the end"
            case .recordedHeadChanged(let sequence, let recordedOn):
                "row \(sequence), the head recorded on \(recordedOn), is missing or no longer has its recorded hash: the log was rewritten or cut"
            }
        }
    }

    /// Checks rows in sequence order and answers the first break, if any. Written as a
    /// fold so that a caller can stream rows page by page.
    public struct Verifier: Sendable {
        public private(set) var lastHash = AuditChain.genesis
        public private(set) var lastSequence: Int64 = 0
        public private(set) var count = 0

        public init() {}

        /// Resumes after rows that were archived: the first row kept must follow `sequence` and
        /// point at `hash`, the last archived row's hash.
        public init(after sequence: Int64, hash: String) {
            lastSequence = sequence
            lastHash = hash
        }

        public mutating func check(_ row: StoredRow) -> Break? {
            defer {
                lastHash = row.hash
                lastSequence = row.content.sequence
                count += 1
            }
            if row.content.sequence != lastSequence + 1 || row.previousHash != lastHash {
                return .missing(afterSequence: lastSequence, found: row.content.sequence)
            }
            if AuditChain.hash(previous: row.previousHash, content: row.content) != row.hash {
                return .altered(sequence: row.content.sequence)
            }
            return nil
        }
    }
}
