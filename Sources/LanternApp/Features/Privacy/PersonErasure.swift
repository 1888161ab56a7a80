import Fluent
import Foundation
import LanternCore

/// Erasing a person's data everywhere, keeping what the statistics count.
///
/// A case keeps its coarse columns (dates, age band, gender, nationality, exploitation types,
/// referral outcomes), which name no one; everything sealed is replaced by empty content under a
/// new data key, so the old key and content are gone; notes, tasks, markers, actions and evidence
/// files are deleted; blind indexes are cleared so no search can find the person again. The
/// audit trail keeps the fact of the erasure, with record ids only.
/// Source: the privacy notice (right to erasure) and `shared/docs/domain/security.md` §2.
enum PersonErasure {
    struct Result: Sendable {
        var cases = 0, concerns = 0, files = 0, records = 0

        mutating func add(_ other: Result) {
            cases += other.cases; concerns += other.concerns; files += other.files; records += other.records
        }
    }

    static func eraseCase(_ c: SafeguardingCase, on db: any Database, cipher: FieldCipher, now: Date) async throws -> Result {
        var result = Result(cases: 1)
        c.wrappedKey = Data()
        try c.seal(.init(), with: cipher)
        c.personIndex = nil
        c.erasedAt = now
        try await c.save(on: db)
        let id = c.id!
        result.records += try await CaseNote.query(on: db).filter(\.$safeguardingCase.$id == id).count()
        try await CaseNote.query(on: db).filter(\.$safeguardingCase.$id == id).delete()
        result.records += try await CaseTask.query(on: db).filter(\.$safeguardingCase.$id == id).count()
        try await CaseTask.query(on: db).filter(\.$safeguardingCase.$id == id).delete()
        result.records += try await CaseMarker.query(on: db).filter(\.$safeguardingCase.$id == id).count()
        try await CaseMarker.query(on: db).filter(\.$safeguardingCase.$id == id).delete()
        result.records += try await CaseConsent.query(on: db).filter(\.$safeguardingCase.$id == id).count()
        try await CaseConsent.query(on: db).filter(\.$safeguardingCase.$id == id).delete()
        result.records += try await CaseAction.query(on: db).filter(\.$safeguardingCase.$id == id).count()
        try await CaseAction.query(on: db).filter(\.$safeguardingCase.$id == id).delete()
        // Referrals stay counted (kind, dates, outcomes); their reference and notes go.
        for n in try await Notification.query(on: db).filter(\.$safeguardingCase.$id == id).all() {
            n.wrappedKey = Data()
            try n.seal(.init(), with: cipher)
            n.referenceIndex = nil
            try await n.save(on: db)
            for t in try await NotificationTransition.query(on: db).filter(\.$notification.$id == n.id!).all() {
                t.wrappedKey = Data()
                try t.seal("", with: cipher)
                try await t.save(on: db)
            }
        }
        result.add(try await deleteEvidence(owner: .case, id: id, on: db))
        for d in try await Disclosure.query(on: db).filter(\.$caseID == id).all() {
            let recipient = try d.open(with: cipher).recipient
            d.wrappedKey = Data()
            try d.seal(.init(recipient: recipient, what: "Erased with the case"), with: cipher)
            try await d.save(on: db)
        }
        for concern in try await Concern.query(on: db).filter(\.$caseID == id).filter(\.$erasedAt == nil).all() {
            result.add(try await eraseConcern(concern, on: db, cipher: cipher, now: now, keepReporter: true))
        }
        return result
    }

    /// A concern's content and messages go; its channel, dates and routes stay for the statistics.
    /// The reporter's identity is theirs, not the person's: kept unless the concern itself expires.
    static func eraseConcern(_ c: Concern, on db: any Database, cipher: FieldCipher, now: Date,
                             keepReporter: Bool) async throws -> Result {
        var result = Result(concerns: 1)
        c.wrappedKey = Data()
        try c.seal(.init(), with: cipher)
        c.erasedAt = now
        if !keepReporter { c.receiptHash = nil }
        try await c.save(on: db)
        result.records += try await ConcernMessage.query(on: db).filter(\.$concern.$id == c.id!).count()
        try await ConcernMessage.query(on: db).filter(\.$concern.$id == c.id!).delete()
        if !keepReporter {
            result.records += try await ConcernReporter.query(on: db).filter(\.$concern.$id == c.id!).count()
            try await ConcernReporter.query(on: db).filter(\.$concern.$id == c.id!).delete()
        }
        result.add(try await deleteEvidence(owner: .concern, id: c.id!, on: db))
        return result
    }

    /// The files' rows and their sealed bytes go in the erasure's transaction.
    static func deleteEvidence(owner: EvidenceFile.Owner, id: UUID, on db: any Database) async throws -> Result {
        let ids = try await EvidenceFile.query(on: db).filter(\.$ownerType == owner).filter(\.$ownerID == id).all().compactMap(\.id)
        try await EvidenceChunk.query(on: db).filter(\.$fileID ~~ ids).delete()
        try await EvidenceFile.query(on: db).filter(\.$id ~~ ids).delete()
        return Result(files: ids.count)
    }
}
