import Fluent
import Foundation
import LanternCore
import SQLKit
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
    /// A call to the API, with its method, path and status.
    case apiCall = "api_call"
    case revoke
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

/// One row to append: what happened, to what, and how it ended. The chain's sequence and
/// hashes are added when it is written.
struct AuditEvent: Sendable {
    var actor: AuditActor
    var action: AuditAction
    var entity: AuditEntity
    var entityID: String?
    var outcome: AuditOutcome = .success
    var requestID: String?
    var detail: String?
    var at: Date
}

/// Appends rows to the audit log, keeping one unbroken hash chain across every instance.
///
/// Appends that arrive together are written together (group commit): while one transaction
/// writes, later appends queue; when it commits, the first in the queue writes everything
/// queued, in one transaction, reading the chain's head once. No caller returns before its row
/// is committed, so no page is shown before the audit row of its read. An append inside a
/// caller's own transaction is written in that transaction, as part of it.
final class AuditLog: Sendable {
    private enum Turn: Sendable {
        case written([AuditEntry])
        /// The writer before has finished: this caller writes the queue now.
        case lead
    }

    private struct Waiting: Sendable {
        let events: [AuditEvent]
        let turn: CheckedContinuation<Turn, any Error>
    }

    private struct Queue: Sendable {
        var waiting: [Waiting] = []
        var writing = false
    }

    private let queue = NIOLockedValueBox(Queue())
    private let counts = NIOLockedValueBox((transactions: 0, rows: 0))
    /// On an SQLite file, the queue's transactions go through this; else through Fluent.
    let writer: SQLiteAuditWriter?

    init(writer: SQLiteAuditWriter? = nil) {
        self.writer = writer
    }

    /// Transactions written and rows appended by this instance since it started: rows per
    /// transaction above one is the grouping at work.
    var written: (transactions: Int, rows: Int) { counts.withLockedValue { $0 } }

    @discardableResult
    func append(on db: any Database, actor: AuditActor, action: AuditAction, entity: AuditEntity,
                entityID: String?, outcome: AuditOutcome = .success, requestID: String?,
                detail: String? = nil, at now: Date) async throws -> AuditEntry {
        try await append([AuditEvent(actor: actor, action: action, entity: entity, entityID: entityID, outcome: outcome,
                                      requestID: requestID, detail: detail, at: now)], on: db)[0]
    }

    /// Appends `events` in order, as consecutive rows of the chain.
    @discardableResult
    func append(_ events: [AuditEvent], on db: any Database) async throws -> [AuditEntry] {
        guard !events.isEmpty else { return [] }
        // Inside a transaction, or holding the write lock the queue's writer may be waiting for:
        // written at once, on the caller's own turn.
        if db.inTransaction || WriteTransaction.isOpen || WriteTransaction.holdsLock {
            return try await writeRows(events, on: db)
        }
        let leads = queue.withLockedValue { q -> Bool in
            if q.writing { return false }
            q.writing = true
            return true
        }
        if leads { return try await writeBatches(starting: events, on: db) }
        let turn = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Turn, any Error>) in
            let leadsNow = queue.withLockedValue { q -> Bool in
                if q.writing { q.waiting.append(Waiting(events: events, turn: continuation)); return false }
                q.writing = true
                return true
            }
            if leadsNow { continuation.resume(returning: .lead) }
        }
        switch turn {
        case .written(let entries): return entries
        case .lead: return try await writeBatches(starting: events, on: db)
        }
    }

    /// Writes this caller's rows with everything queued, then hands the writing to the next in
    /// the queue, or ends it.
    private func writeBatches(starting own: [AuditEvent], on db: any Database) async throws -> [AuditEntry] {
        let others = queue.withLockedValue { q -> [Waiting] in
            defer { q.waiting = [] }
            return q.waiting
        }
        let result: Result<[AuditEntry], any Error>
        do {
            result = .success(try await writeGroup(own + others.flatMap(\.events), on: db))
        } catch {
            result = .failure(error)
        }
        // Each caller gets its own rows back, in the order it gave them.
        var offset = own.count
        for waiting in others {
            switch result {
            case .success(let entries):
                waiting.turn.resume(returning: .written(Array(entries[offset..<offset + waiting.events.count])))
            case .failure(let error):
                waiting.turn.resume(throwing: error)
            }
            offset += waiting.events.count
        }
        let next = queue.withLockedValue { q -> Waiting? in
            if q.waiting.isEmpty { q.writing = false; return nil }
            return q.waiting.removeFirst()
        }
        next?.turn.resume(returning: .lead)
        return try Array(result.get().prefix(own.count))
    }

    /// A group of rows from the queue: through the SQLite writer when there is one, taking the
    /// in-process write lock as Fluent's write transactions do.
    private func writeGroup(_ events: [AuditEvent], on db: any Database) async throws -> [AuditEntry] {
        guard let writer else { return try await writeRows(events, on: db) }
        let entries = try await WriteTransaction.lock(for: db).run {
            try await writer.append { sequence, hash in Self.chained(events, after: sequence, hash: hash) }
        }
        counts.withLockedValue { $0.transactions += 1; $0.rows += entries.count }
        return entries
    }

    /// The rows for `events`, each hashed over the one before, after the head `sequence` and `hash`.
    static func chained(_ events: [AuditEvent], after sequence: Int64, hash: String) -> [AuditEntry] {
        var sequence = sequence
        var previous = hash
        var entries: [AuditEntry] = []
        for event in events {
            sequence += 1
            let content = AuditRecordContent(
                sequence: sequence, atMilliseconds: Int64((event.at.timeIntervalSince1970 * 1000).rounded()),
                actorID: event.actor.id, actorRole: event.actor.role, action: event.action.rawValue,
                entityType: event.entity.rawValue, entityID: event.entityID, outcome: event.outcome.rawValue,
                requestID: event.requestID, detail: event.detail)
            let hash = AuditChain.hash(previous: previous, content: content)
            let entry = AuditEntry(content: content, previousHash: previous, hash: hash)
            entry.id = UUID()
            entries.append(entry)
            previous = hash
        }
        return entries
    }

    /// The rows, chained after the head, in one transaction. On PostgreSQL an advisory lock held
    /// to the end of the transaction keeps other instances from reading the same head; on
    /// SQLite the write transaction does. A sequence clash (another instance won) is retried.
    private func writeRows(_ events: [AuditEvent], on db: any Database) async throws -> [AuditEntry] {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await db.writeTransaction { tx in
                    try await tx.lockUntilCommit("lantern-audit-chain")
                    let sql = tx as! any SQLDatabase
                    let head = try await sql.select().columns("sequence", "hash").from(AuditEntry.schema)
                        .orderBy("sequence", .descending).limit(1).first()
                    let entries = Self.chained(events, after: try head?.decode(column: "sequence", as: Int64.self) ?? 0,
                                               hash: try head?.decode(column: "hash", as: String.self) ?? AuditChain.genesis)
                    var insert = sql.insert(into: AuditEntry.schema).columns(AuditEntry.columnNames)
                    for entry in entries { insert = insert.values(entry.columnValues) }
                    try await insert.run()
                    self.counts.withLockedValue { $0.transactions += 1; $0.rows += entries.count }
                    return entries
                }
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 10 {
                continue
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
        try await audit([AuditNote(action, entity, id: entityID, outcome: outcome, detail: detail, sealed: sealed)], on: db)
    }

    /// Several rows at once, written together: a page that reads several records audits each.
    func audit(_ notes: [AuditNote], on db: (any Database)? = nil) async throws {
        guard !notes.isEmpty else { return }
        let actor = currentUser.map { AuditActor(id: $0.id?.uuidString, role: $0.role.rawValue) } ?? .anonymous
        let now = lantern.now(), requestID = requestID
        let events = try notes.map { note in
            var detail = note.detail
            if let sealed = note.sealed {
                let token = try lookupKeys.sealAuditText(sealed, context: AuditSealedText.context(note.entity.rawValue, note.entityID))
                detail = [detail, token].compactMap { $0 }.joined(separator: " ")
            }
            return AuditEvent(actor: actor, action: note.action, entity: note.entity, entityID: note.entityID, outcome: note.outcome,
                              requestID: requestID, detail: detail, at: now)
        }
        try await lantern.audit.append(events, on: db ?? self.db)
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

/// A row a request audits; who did it, when, and in which request come from the request.
struct AuditNote: Sendable {
    var action: AuditAction
    var entity: AuditEntity
    var entityID: String?
    var outcome: AuditOutcome
    var detail: String?
    /// Typed text that may name a person: stored sealed after the detail (`Request.audit`).
    var sealed: String?

    init(_ action: AuditAction, _ entity: AuditEntity, id entityID: String? = nil, outcome: AuditOutcome = .success,
         detail: String? = nil, sealed: String? = nil) {
        (self.action, self.entity, self.entityID, self.outcome, self.detail, self.sealed) = (action, entity, entityID, outcome, detail, sealed)
    }
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
