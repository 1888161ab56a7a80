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
        id = fingerprint.prefix(6).map { String(format: "%02x", $0) }.joined()
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
}

/// Envelope encryption of fields.
public struct FieldCipher: Sendable {
    public enum Problem: Error, Equatable {
        case wrongKey(expected: String, found: String)
        case tampered
    }

    let master: DataProtectionKey

    public init(master: DataProtectionKey) { self.master = master }

    /// A fresh data key for one record, and its wrapped form to store.
    public func newDataKey(recordID: String) throws -> (SymmetricKey, WrappedDataKey) {
        let dataKey = SymmetricKey(size: .bits256)
        let raw = dataKey.withUnsafeBytes { Data($0) }
        let box = try AES.GCM.seal(raw, using: master.key, authenticating: Data("dek|\(recordID)".utf8))
        return (dataKey, WrappedDataKey(keyID: master.id, sealed: box.combined!))
    }

    public func unwrap(_ wrapped: WrappedDataKey, recordID: String) throws -> SymmetricKey {
        guard wrapped.keyID == master.id else { throw Problem.wrongKey(expected: wrapped.keyID, found: master.id) }
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped.sealed)
            return SymmetricKey(data: try AES.GCM.open(box, using: master.key, authenticating: Data("dek|\(recordID)".utf8)))
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
        let normalised = value.lowercased().components(separatedBy: .whitespacesAndNewlines).filter { !$0.isEmpty }.joined(separator: " ")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(normalised.utf8), using: master.derived(for: "blind-index|\(purpose)"))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
