import Foundation
import Testing
@testable import LanternCore

@Suite("Field encryption")
struct FieldCipherTests {
    let master = try! DataProtectionKey(base64: DataProtectionKey.generateBase64())

    @Test func aFieldRoundTripsUnderItsRecordKey() throws {
        let cipher = FieldCipher(master: master)
        let (key, wrapped) = try cipher.newDataKey(recordID: "case-1")
        let sealed = try FieldCipher.seal("Maria Popescu", with: key, table: "cases", column: "name", recordID: "case-1")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("Maria"))
        let unwrapped = try cipher.unwrap(wrapped, recordID: "case-1")
        #expect(try FieldCipher.open(sealed, with: unwrapped, table: "cases", column: "name", recordID: "case-1") == "Maria Popescu")
    }

    @Test func ciphertextCannotBeMovedToAnotherRecordOrColumn() throws {
        let cipher = FieldCipher(master: master)
        let (key, _) = try cipher.newDataKey(recordID: "case-1")
        let sealed = try FieldCipher.seal("secret", with: key, table: "cases", column: "name", recordID: "case-1")
        #expect(throws: FieldCipher.Problem.tampered) {
            try FieldCipher.open(sealed, with: key, table: "cases", column: "name", recordID: "case-2")
        }
        #expect(throws: FieldCipher.Problem.tampered) {
            try FieldCipher.open(sealed, with: key, table: "cases", column: "notes", recordID: "case-1")
        }
    }

    @Test func aWrappedKeyOpensOnlyForItsRecordAndUnderItsMasterKey() throws {
        let cipher = FieldCipher(master: master)
        let (_, wrapped) = try cipher.newDataKey(recordID: "case-1")
        #expect(throws: FieldCipher.Problem.tampered) { try cipher.unwrap(wrapped, recordID: "case-9") }
        let other = FieldCipher(master: try DataProtectionKey(base64: DataProtectionKey.generateBase64()))
        #expect(throws: (any Error).self) { try other.unwrap(wrapped, recordID: "case-1") }
    }

    @Test func keysMustBe32BytesOfBase64() {
        #expect(throws: DataProtectionKey.Problem.notBase64) { try DataProtectionKey(base64: "not base64!") }
        #expect(throws: DataProtectionKey.Problem.wrongLength(16)) { try DataProtectionKey(base64: Data(count: 16).base64EncodedString()) }
    }

    @Test func blindIndexesMatchNormalisedValuesOnly() {
        let cipher = FieldCipher(master: master)
        #expect(cipher.blindIndex("  Maria   POPESCU ", purpose: "name") == cipher.blindIndex("maria popescu", purpose: "name"))
        #expect(cipher.blindIndex("maria popescu", purpose: "name") != cipher.blindIndex("maria popescu", purpose: "alias"))
        #expect(cipher.blindIndex("maria popescu", purpose: "name") != cipher.blindIndex("mario popescu", purpose: "name"))
    }
}
