import Fluent
import Foundation
import LanternCore
import Vapor

/// What happened, in the words the audit log uses.
enum AuditAction: String, Sendable {
    case signIn = "sign_in"
    case signInFailed = "sign_in_failed"
    case signInThrottled = "sign_in_throttled"
    case signOut = "sign_out"
    case permissionRefused = "permission_refused"
    case read
    case create
    case update
    case delete
    case export
    case importData = "import"
    case assess
    case passwordChange = "password_change"
    case roleChange = "role_change"
    case deactivate
    case reactivate
    case invite
    case acceptInvitation = "accept_invitation"
}

enum AuditOutcome: String, Sendable {
    case success, denied, failure
}

/// Who did it: a signed-in person, the system itself (jobs, the CLI), or nobody known.
struct AuditActor: Sendable {
    var id: String?
    var role: String?

    static let system = AuditActor(id: "system", role: nil)
    static let anonymous = AuditActor(id: nil, role: nil)
}

/// Appends rows to the audit log. Appends are serialised within one instance and retried on
/// a sequence clash with another instance, so the chain never forks.
final class AuditLog: Sendable {
    @discardableResult
    func append(on db: any Database, actor: AuditActor, action: AuditAction, entity: AuditEntity,
                entityID: String?, outcome: AuditOutcome = .success, requestID: String?,
                detail: String? = nil, at now: Date) async throws -> AuditEntry {
        // Appends queue on the process's write lock (the same one SQLite write transactions
        // take), so the chain's next row is read and written by one task at a time. On
        // PostgreSQL an advisory lock held to the end of the transaction does that across
        // instances (see `appendRow`), and the process lock is not taken: an append inside a
        // longer transaction would otherwise hold one lock while waiting for the other.
        if WriteTransaction.holdsLock || WriteTransaction.isOpen || !DatabaseSetup.isSQLite(db) {
            return try await appendRow(on: db, actor: actor, action: action, entityType: entity.rawValue, entityID: entityID,
                                       outcome: outcome, requestID: requestID, detail: detail, at: now)
        }
        return try await WriteTransaction.lock(for: db).run {
            try await WriteTransaction.$holdsLock.withValue(true) {
                try await appendRow(on: db, actor: actor, action: action, entityType: entity.rawValue, entityID: entityID,
                                    outcome: outcome, requestID: requestID, detail: detail, at: now)
            }
        }
    }

    private func appendRow(on db: any Database, actor: AuditActor, action: AuditAction, entityType: String,
                           entityID: String?, outcome: AuditOutcome, requestID: String?, detail: String?, at now: Date) async throws -> AuditEntry {
        do {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try await db.writeTransaction { tx in
                        // Until this transaction ends, no other instance reads the chain's head,
                        // so an append inside a caller's transaction cannot clash at commit.
                        try await tx.lockUntilCommit("lantern-audit-chain")
                        let last = try await AuditEntry.query(on: tx).sort(\.$sequence, .descending).first()
                        let content = AuditRecordContent(
                            sequence: (last?.sequence ?? 0) + 1,
                            atMilliseconds: Int64((now.timeIntervalSince1970 * 1000).rounded()),
                            actorID: actor.id, actorRole: actor.role, action: action.rawValue,
                            entityType: entityType, entityID: entityID, outcome: outcome.rawValue,
                            requestID: requestID, detail: detail)
                        let previous = last?.hash ?? AuditChain.genesis
                        let entry = AuditEntry(content: content, previousHash: previous,
                                               hash: AuditChain.hash(previous: previous, content: content))
                        try await entry.create(on: tx)
                        return entry
                    }
                } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 10 {
                    continue
                }
            }
        }
    }

    struct Verification: Sendable {
        var rowsChecked: Int
        var headHash: String
        var headSequence: Int64
        var firstBreak: AuditChain.Break?
        /// Rows before this one were archived; the chain was checked from the archive's boundary.
        var archivedThrough: Int64?
        /// Heads recorded outside the database that were found in the table and matched.
        var recordedHeadsChecked = 0
    }

    /// Walks the chain in pages, in sequence order, from the newest archive boundary, and reports
    /// the first break. Each head recorded outside the database must still be in place.
    func verify(on db: any Database, expectedHead: String? = nil, recordedHeads: [AuditHeadRecord] = [],
                pageSize: Int = 1000) async throws -> Verification {
        let boundary = try await AuditArchive.boundary(on: db)
        var verifier = boundary.map { AuditChain.Verifier(after: $0.throughSequence, hash: $0.boundaryHash) } ?? AuditChain.Verifier()
        let archivedThrough = boundary?.throughSequence ?? 0
        var pending = Dictionary(recordedHeads.filter { $0.sequence > archivedThrough }.map { ($0.sequence, $0) }, uniquingKeysWith: { a, _ in a })
        var result = Verification(rowsChecked: 0, headHash: verifier.lastHash, headSequence: verifier.lastSequence,
                                  firstBreak: nil, archivedThrough: boundary?.throughSequence)
        func finish(_ broken: AuditChain.Break?) -> Verification {
            (result.rowsChecked, result.headHash, result.headSequence) = (verifier.count, verifier.lastHash, verifier.lastSequence)
            result.firstBreak = broken
            return result
        }
        var after = archivedThrough
        while true {
            let page = try await AuditEntry.query(on: db).filter(\.$sequence > after)
                .sort(\.$sequence, .ascending).limit(pageSize).all()
            for entry in page {
                if let broken = verifier.check(entry.storedRow) { return finish(broken) }
                if let recorded = pending.removeValue(forKey: entry.sequence) {
                    guard recorded.hash == entry.hash else { return finish(.recordedHeadChanged(sequence: recorded.sequence, recordedOn: recorded.day)) }
                    result.recordedHeadsChecked += 1
                }
            }
            guard let last = page.last, page.count == pageSize else { break }
            after = last.sequence
        }
        // A recorded head past the newest row: rows were cut off the end.
        if let cut = pending.values.min(by: { $0.sequence < $1.sequence }) {
            return finish(.recordedHeadChanged(sequence: cut.sequence, recordedOn: cut.day))
        }
        if let expectedHead, expectedHead != verifier.lastHash {
            return finish(.headMismatch(expected: expectedHead, found: verifier.lastHash))
        }
        return finish(nil)
    }
}

/// A first-in, first-out lock for async code.
final class AsyncSerialLock: Sendable {
    private let state = NIOLockedValueBox<(busy: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let proceed = state.withLockedValue { s -> Bool in
                if s.busy { s.waiters.append(continuation); return false }
                s.busy = true
                return true
            }
            if proceed { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLockedValue { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty { s.busy = false; return nil }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}

extension Request {
    /// The one way features write to the audit log: who (from the session), what, on what.
    /// `sealed` is typed text that may name a person (a reason someone gave): it is stored
    /// sealed after the detail, readable only on the audit page.
    func audit(_ action: AuditAction, _ entity: AuditEntity, id entityID: String? = nil,
               outcome: AuditOutcome = .success, detail: String? = nil, sealed: String? = nil, on db: (any Database)? = nil) async throws {
        let actor = currentUser.map { AuditActor(id: $0.id?.uuidString, role: $0.role.rawValue) } ?? .anonymous
        var detail = detail
        if let sealed {
            let token = try lookupKeys.sealAuditText(sealed, context: AuditSealedText.context(entity.rawValue, entityID))
            detail = [detail, token].compactMap { $0 }.joined(separator: " ")
        }
        try await lantern.audit.append(
            on: db ?? self.db, actor: actor, action: action, entity: entity, entityID: entityID,
            outcome: outcome, requestID: requestID, detail: detail, at: lantern.now())
    }

    /// Saves a record and its audit row in one transaction, so neither is kept without the
    /// other. The row names the record by its own id unless `id` says otherwise.
    func write<M: Model & Sendable>(_ model: M, _ action: AuditAction, _ entity: AuditEntity, id entityID: String? = nil,
                         detail: String? = nil, sealed: String? = nil) async throws where M.IDValue == UUID {
        try await db.writeTransaction { db in
            try await model.save(on: db)
            try await self.audit(action, entity, id: entityID ?? model.id?.uuidString, detail: detail, sealed: sealed, on: db)
        }
    }

    /// The id `RequestLogMiddleware` settled on: a proxy's plain `X-Request-Id`, or a new one.
    var requestID: String? { headers.first(name: .xRequestId) ?? logger[metadataKey: "request-id"].map { "\($0)" } }
}

/// Sealed text inside an audit row's detail (`LookupKeys.sealAuditText`), bound to the row's entity.
enum AuditSealedText {
    static func context(_ entityType: String, _ entityID: String?) -> String { "audit|\(entityType)|\(entityID ?? "")" }

    /// The detail as the audit page shows it: each sealed token opened, or marked if it cannot be.
    static func readable(_ detail: String, entityType: String, entityID: String?, keys: LookupKeys?) -> String {
        detail.split(separator: " ", omittingEmptySubsequences: false).map { word in
            guard word.hasPrefix(LookupKeys.auditTextPrefix) else { return String(word) }
            guard let keys else { return "[sealed: shown to the internal auditor]" }
            return keys.openAuditText(String(word), context: context(entityType, entityID)).map { "“\($0)”" } ?? "[sealed text that cannot be opened]"
        }.joined(separator: " ")
    }
}
