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
    func append(on db: any Database, actor: AuditActor, action: AuditAction, entityType: String,
                entityID: String?, outcome: AuditOutcome = .success, requestID: String?,
                detail: String? = nil, at now: Date) async throws -> AuditEntry {
        // Appends queue on the process's write lock (the same one SQLite write transactions
        // take), so the chain's next row is read and written by one task at a time. On
        // PostgreSQL an advisory lock held to the end of the transaction does that across
        // instances (see `appendRow`), and the process lock is not taken: an append inside a
        // longer transaction would otherwise hold one lock while waiting for the other.
        if WriteTransaction.holdsLock || WriteTransaction.isOpen || !DatabaseSetup.isSQLite(db) {
            return try await appendRow(on: db, actor: actor, action: action, entityType: entityType, entityID: entityID,
                                       outcome: outcome, requestID: requestID, detail: detail, at: now)
        }
        return try await WriteTransaction.lock.run {
            try await WriteTransaction.$holdsLock.withValue(true) {
                try await appendRow(on: db, actor: actor, action: action, entityType: entityType, entityID: entityID,
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
    }

    /// Walks the whole chain in pages, in sequence order, and reports the first break.
    func verify(on db: any Database, expectedHead: String? = nil, pageSize: Int = 1000) async throws -> Verification {
        var verifier = AuditChain.Verifier()
        var after: Int64 = 0
        while true {
            let page = try await AuditEntry.query(on: db).filter(\.$sequence > after)
                .sort(\.$sequence, .ascending).limit(pageSize).all()
            for entry in page {
                if let broken = verifier.check(entry.storedRow) {
                    return Verification(rowsChecked: verifier.count, headHash: verifier.lastHash,
                                        headSequence: verifier.lastSequence, firstBreak: broken)
                }
            }
            guard let last = page.last, page.count == pageSize else { break }
            after = last.sequence
        }
        var result = Verification(rowsChecked: verifier.count, headHash: verifier.lastHash,
                                  headSequence: verifier.lastSequence, firstBreak: nil)
        if let expectedHead, expectedHead != verifier.lastHash {
            result.firstBreak = .headMismatch(expected: expectedHead, found: verifier.lastHash)
        }
        return result
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
    func audit(_ action: AuditAction, _ entityType: String, id entityID: String? = nil,
               outcome: AuditOutcome = .success, detail: String? = nil, on db: (any Database)? = nil) async throws {
        let actor = currentUser.map { AuditActor(id: $0.id?.uuidString, role: $0.role.rawValue) } ?? .anonymous
        try await lantern.audit.append(
            on: db ?? self.db, actor: actor, action: action, entityType: entityType, entityID: entityID,
            outcome: outcome, requestID: requestID, detail: detail, at: lantern.now())
    }

    /// The id `RequestLogMiddleware` settled on: a proxy's plain `X-Request-Id`, or a new one.
    var requestID: String? { headers.first(name: .xRequestId) ?? logger[metadataKey: "request-id"].map { "\($0)" } }
}
