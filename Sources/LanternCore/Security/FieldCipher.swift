import Crypto
import Foundation

/// The organisation's data-protection key (the key-encryption key), held outside the database.
///
/// Source: `shared/docs/domain/security.md` §2: envelope encryption with one AES-256-GCM data key
/// per record, wrapped by a key-encryption key outside the database, with associated data
/// `table|column|recordId` so ciphertexts cannot be swapped between records.
public struct DataProtectionKey: Sendable {
    public let id: String
    /// Kept as bytes (which are Sendable); a `SymmetricKey` is made for each use.
    private let keyBytes: Data
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notBase64
        case wrongLength(Int)
        public var description: String {
            switch self {
            case .notBase64: "the data-protection key is not valid base64"
            case .wrongLength(let n): "the data-protection key must be 32 bytes (256 bits); this one is \(n)"
            }
        }
    }

    /// Reads a base64 key of exactly 32 bytes. Its id is derived from the key itself so the
    /// right key can be told from a wrong one without storing the key.
    public init(base64: String) throws {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Problem.notBase64
        }
        guard data.count == 32 else { throw Problem.wrongLength(data.count) }
        keyBytes = data
        let key = SymmetricKey(data: data)
        let fingerprint = HMAC<SHA256>.authenticationCode(for: Data("lantern-key-id".utf8), using: key)
        id = fingerprint.prefix(6).hexEncoded
    }

    public static func generateBase64() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// A subkey for another purpose (blind indexes, receipt-code hashes), so one secret
    /// never serves two uses.
    public func derived(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data(purpose.utf8), outputByteCount: 32)
    }
}

/// A record's data key wrapped by the organisation key, as stored beside the record.
public struct WrappedDataKey: Sendable, Equatable, Codable {
    public var keyID: String
    public var sealed: Data

    public init(keyID: String, sealed: Data) {
        self.keyID = keyID
        self.sealed = sealed
    }

    /// The stored form: a version byte, the key id's length and bytes, then the sealed key.
    /// Compact and read without a JSON decoder, as lists unwrap one key per row shown.
    public var stored: Data {
        var data = Data([1, UInt8(keyID.utf8.count)])
        data.append(contentsOf: keyID.utf8)
        data.append(sealed)
        return data
    }

    public init?(stored data: Data) {
        let bytes = [UInt8](data)
        guard bytes.count > 2, bytes[0] == 1, bytes.count > 2 + Int(bytes[1]) else { return nil }
        let idEnd = 2 + Int(bytes[1])
        keyID = String(decoding: bytes[2..<idEnd], as: UTF8.self)
        sealed = Data(bytes[idEnd...])
    }
}

/// Envelope encryption of fields.
public struct FieldCipher: Sendable {
    public enum Problem: Error, Equatable {
        case wrongKey(expected: String, found: String)
        case tampered
    }

    let master: DataProtectionKey
    /// Earlier organisation keys, accepted for unwrapping while a rotation is under way.
    let previous: [DataProtectionKey]

    public init(master: DataProtectionKey, previous: [DataProtectionKey] = []) {
        self.master = master
        self.previous = previous
    }

    public var currentKeyID: String { master.id }

    /// A fresh data key for one record, and its wrapped form to store.
    public func newDataKey(recordID: String) throws -> (SymmetricKey, WrappedDataKey) {
        let dataKey = SymmetricKey(size: .bits256)
        let raw = dataKey.withUnsafeBytes { Data($0) }
        let box = try AES.GCM.seal(raw, using: master.key, authenticating: Data("dek|\(recordID)".utf8))
        return (dataKey, WrappedDataKey(keyID: master.id, sealed: box.combined!))
    }

    public func unwrap(_ wrapped: WrappedDataKey, recordID: String) throws -> SymmetricKey {
        guard let kek = ([master] + previous).first(where: { $0.id == wrapped.keyID }) else {
            throw Problem.wrongKey(expected: wrapped.keyID, found: master.id)
        }
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped.sealed)
            return SymmetricKey(data: try AES.GCM.open(box, using: kek.key, authenticating: Data("dek|\(recordID)".utf8)))
        } catch {
            throw Problem.tampered
        }
    }

    /// The same data key wrapped under the current organisation key (key rotation): the
    /// record's ciphertext is untouched.
    public func rewrap(_ wrapped: WrappedDataKey, recordID: String) throws -> WrappedDataKey {
        if wrapped.keyID == master.id { return wrapped }
        let dataKey = try unwrap(wrapped, recordID: recordID)
        let raw = dataKey.withUnsafeBytes { Data($0) }
        let box = try AES.GCM.seal(raw, using: master.key, authenticating: Data("dek|\(recordID)".utf8))
        return WrappedDataKey(keyID: master.id, sealed: box.combined!)
    }

    /// Encrypts a record's sensitive fields together under a fresh data key.
    public func sealRecord<T: Encodable>(_ value: T, table: String, recordID: String) throws -> (WrappedDataKey, Data) {
        let (dataKey, wrapped) = try newDataKey(recordID: recordID)
        let json = try JSONEncoder().encode(value)
        let aad = Data("\(table)|record|\(recordID)".utf8)
        return (wrapped, try AES.GCM.seal(json, using: dataKey, authenticating: aad).combined!)
    }

    /// Re-encrypts a record's fields under its existing data key (an edit).
    public func resealRecord<T: Encodable>(_ value: T, wrapped: WrappedDataKey, table: String, recordID: String) throws -> Data {
        let dataKey = try unwrap(wrapped, recordID: recordID)
        let aad = Data("\(table)|record|\(recordID)".utf8)
        return try AES.GCM.seal(try JSONEncoder().encode(value), using: dataKey, authenticating: aad).combined!
    }

    public func openRecord<T: Decodable>(_ type: T.Type, wrapped: WrappedDataKey, sealed: Data, table: String, recordID: String) throws -> T {
        let dataKey = try unwrap(wrapped, recordID: recordID)
        let aad = Data("\(table)|record|\(recordID)".utf8)
        let plain: Data
        do {
            plain = try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: dataKey, authenticating: aad)
        } catch {
            throw Problem.tampered
        }
        return try JSONDecoder().decode(T.self, from: plain)
    }

    /// Encrypts a file's bytes under the record's data key.
    public func sealBytes(_ bytes: Data, wrapped: WrappedDataKey, purpose: String, recordID: String) throws -> Data {
        let dataKey = try unwrap(wrapped, recordID: recordID)
        return try AES.GCM.seal(bytes, using: dataKey, authenticating: Data("\(purpose)|\(recordID)".utf8)).combined!
    }

    public func openBytes(_ sealed: Data, wrapped: WrappedDataKey, purpose: String, recordID: String) throws -> Data {
        let dataKey = try unwrap(wrapped, recordID: recordID)
        do {
            return try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: dataKey, authenticating: Data("\(purpose)|\(recordID)".utf8))
        } catch {
            throw Problem.tampered
        }
    }

    public static func seal(_ plaintext: String, with dataKey: SymmetricKey, table: String, column: String, recordID: String) throws -> Data {
        let aad = Data("\(table)|\(column)|\(recordID)".utf8)
        return try AES.GCM.seal(Data(plaintext.utf8), using: dataKey, authenticating: aad).combined!
    }

    public static func open(_ ciphertext: Data, with dataKey: SymmetricKey, table: String, column: String, recordID: String) throws -> String {
        let aad = Data("\(table)|\(column)|\(recordID)".utf8)
        do {
            let box = try AES.GCM.SealedBox(combined: ciphertext)
            return String(decoding: try AES.GCM.open(box, using: dataKey, authenticating: aad), as: UTF8.self)
        } catch {
            throw Problem.tampered
        }
    }

    /// A keyed hash of a normalised value, for exact-match search without decrypting (blind index).
    public func blindIndex(_ value: String, purpose: String) -> String {
        LookupKeys(secret: master.derived(for: "lookup")).blindIndex(value, purpose: purpose)
    }

    /// A random secret for lookups, made once and kept wrapped by the organisation key, so
    /// blind indexes and receipt-code hashes survive a rotation of that key.
    public func newLookupSecret() -> SymmetricKey { SymmetricKey(size: .bits256) }
}

/// Keys for lookups that must stay stable across key rotation: blind indexes and the pepper
/// for receipt-code hashes (`security.md` §1 and §2). Derived from one secret, one subkey per use.
public struct LookupKeys: Sendable {
    private let secretBytes: Data

    public init(secret: SymmetricKey) { secretBytes = secret.withUnsafeBytes { Data($0) } }

    private func derived(_ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secretBytes), info: Data(purpose.utf8), outputByteCount: 32)
    }

    public var receiptPepper: SymmetricKey { derived("receipt-code") }

    /// Signs the CSRF tokens of visitors without a session (`SignedFormToken`).
    public var formTokenKey: SymmetricKey { derived("anonymous-form-token") }

    /// Signs the proof-of-work challenges on the public report form (`ProofOfWork`).
    public var proofOfWorkKey: SymmetricKey { derived("proof-of-work") }

    /// Free text an audit row must keep but may name a person (the reason a reporter was
    /// revealed): sealed under a key from the lookup secret, which survives a rotation of the
    /// organisation key as the append-only audit row cannot be re-sealed. The row's entity is
    /// bound in, so a sealed reason cannot be moved to another row.
    public func sealAuditText(_ text: String, context: String) throws -> String {
        let box = try AES.GCM.seal(Data(text.utf8), using: derived("audit-text"), authenticating: Data(context.utf8))
        return Self.auditTextPrefix + box.combined!.base64EncodedString()
    }

    public func openAuditText(_ sealed: String, context: String) -> String? {
        guard sealed.hasPrefix(Self.auditTextPrefix), let data = Data(base64Encoded: String(sealed.dropFirst(Self.auditTextPrefix.count))),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: derived("audit-text"), authenticating: Data(context.utf8)) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    public static let auditTextPrefix = "sealed:v1:"

    /// Lower-cased with runs of white space collapsed, then HMAC-SHA256 under a per-purpose key.
    public func blindIndex(_ value: String, purpose: String) -> String {
        let normalised = value.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(normalised.utf8), using: derived("blind-index|\(purpose)"))
        return mac.hexEncoded
    }
}
