import Testing
@testable import LanternCore

@Suite("Audit hash chain")
struct AuditChainTests {
    func content(_ sequence: Int64, detail: String? = nil) -> AuditRecordContent {
        AuditRecordContent(sequence: sequence, atMilliseconds: 1_700_000_000_000 + sequence, actorID: "u1",
                           actorRole: "caseworker", action: "read", entityType: "Case", entityID: "c\(sequence)",
                           outcome: "success", requestID: "r\(sequence)", detail: detail)
    }

    func chain(_ count: Int) -> [AuditChain.StoredRow] {
        var rows: [AuditChain.StoredRow] = []
        var previous = AuditChain.genesis
        for i in 1...count {
            let c = content(Int64(i))
            let hash = AuditChain.hash(previous: previous, content: c)
            rows.append(.init(content: c, previousHash: previous, hash: hash))
            previous = hash
        }
        return rows
    }

    func firstBreak(_ rows: [AuditChain.StoredRow]) -> AuditChain.Break? {
        var verifier = AuditChain.Verifier()
        for row in rows { if let b = verifier.check(row) { return b } }
        return nil
    }

    @Test func anIntactChainHasNoBreak() {
        #expect(firstBreak(chain(10)) == nil)
    }

    @Test func hashesAreSHA256Hex() {
        let hash = AuditChain.hash(previous: AuditChain.genesis, content: content(1))
        #expect(hash.count == 64)
        #expect(hash.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func anAlteredFieldIsFound() {
        var rows = chain(6)
        rows[3].content.outcome = "denied"
        #expect(firstBreak(rows) == .altered(sequence: 4))
    }

    @Test func aRemovedRowIsFound() {
        var rows = chain(6)
        rows.remove(at: 2)
        #expect(firstBreak(rows) == .missing(afterSequence: 2, found: 4))
    }

    @Test func aRewrittenHashIsFoundAtTheNextRow() {
        var rows = chain(6)
        rows[2].content.detail = "forged"
        rows[2].hash = AuditChain.hash(previous: rows[2].previousHash, content: rows[2].content)
        #expect(firstBreak(rows) == .missing(afterSequence: 3, found: 4))
    }

    @Test func fieldBoundariesCannotBeShifted() {
        var a = content(1)
        a.entityType = "Ca"
        a.entityID = "se1"
        var b = content(1)
        b.entityType = "Case"
        b.entityID = "1"
        #expect(AuditChain.hash(previous: AuditChain.genesis, content: a) != AuditChain.hash(previous: AuditChain.genesis, content: b))
        var nilDetail = content(1)
        nilDetail.detail = nil
        var emptyDetail = content(1)
        emptyDetail.detail = ""
        #expect(AuditChain.hash(previous: AuditChain.genesis, content: nilDetail) != AuditChain.hash(previous: AuditChain.genesis, content: emptyDetail))
    }
}
