import Crypto
import Fluent
import Foundation
import LanternCore
import Vapor

/// A record whose sensitive fields are kept together in one AES-GCM ciphertext under the
/// record's own data key, which is stored wrapped by the organisation key
/// (`shared/docs/domain/security.md` §2). Columns left clear are the coarse ones that lists,
/// deadlines and statistics need (status, dates, age band, gender, nationality, types).
protocol SealedModel: Model where IDValue == UUID {
    associatedtype Secrets: Codable
    var wrappedKey: Data { get set }
    var sealed: Data { get set }
}

extension SealedModel {
    /// Encrypts `secrets` into the record: a new data key for a new record, the same key on edit.
    func seal(_ secrets: Secrets, with cipher: FieldCipher) throws {
        if id == nil { id = UUID() }
        let recordID = id!.uuidString
        if wrappedKey.isEmpty {
            let (wrapped, ciphertext) = try cipher.sealRecord(secrets, table: Self.schema, recordID: recordID)
            wrappedKey = wrapped.stored
            sealed = ciphertext
        } else {
            sealed = try cipher.resealRecord(secrets, wrapped: try dataKey(), table: Self.schema, recordID: recordID)
        }
    }

    func open(with cipher: FieldCipher) throws -> Secrets {
        try cipher.openRecord(Secrets.self, wrapped: try dataKey(), sealed: sealed, table: Self.schema, recordID: id!.uuidString)
    }

    func dataKey() throws -> WrappedDataKey { try WrappedDataKey.parse(wrappedKey) }

    /// The record's own data key, for a dependent row's column sealed under it.
    func unwrappedKey(with cipher: FieldCipher) throws -> SymmetricKey { try cipher.unwrap(try dataKey(), recordID: id!.uuidString) }
}

extension Request {
    var cipher: FieldCipher { lantern.cipher }
}

extension WrappedDataKey {
    static func parse(_ stored: Data) throws -> WrappedDataKey {
        guard let key = WrappedDataKey(stored: stored) else { throw FieldCipher.Problem.tampered }
        return key
    }
}

/// The lookup secret (for blind indexes and receipt-code hashes), kept in the database wrapped
/// by the organisation key so it survives a rotation of that key; a database copy alone
/// cannot unwrap it.
final class KeyStoreEntry: Model, @unchecked Sendable {
    static let schema = "key_store"
    @ID(key: .id) var id: UUID?
    @Field(key: "purpose") var purpose: String
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    init() {}
}

struct CreateKeyStore: AsyncMigration {
    var name: String { "2026-11-24-create-key-store" }
    func prepare(on database: any Database) async throws {
        try await database.schema(KeyStoreEntry.schema).id()
            .field("purpose", .string, .required)
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .unique(on: "purpose").create()
    }
    func revert(on database: any Database) async throws { try await database.schema(KeyStoreEntry.schema).delete() }
}

extension KeyStoreEntry: SealedModel {
    typealias Secrets = String
}

enum KeyRing {
    private struct LookupKey: StorageKey { typealias Value = LookupKeys }

    /// Loads the lookup secret, creating it on first start.
    static func load(_ app: Application) async throws {
        let cipher = app.lantern.cipher
        let entry: KeyStoreEntry
        if let existing = try await KeyStoreEntry.query(on: app.db).filter(\.$purpose == "lookup").first() {
            entry = existing
        } else {
            entry = KeyStoreEntry()
            entry.purpose = "lookup"
            entry.wrappedKey = Data()
            entry.sealed = Data()
            let secret = cipher.newLookupSecret().withUnsafeBytes { Data($0).base64EncodedString() }
            try entry.seal(secret, with: cipher)
            try await entry.create(on: app.db)
        }
        let secret: String
        do {
            secret = try entry.open(with: cipher)
        } catch FieldCipher.Problem.wrongKey(let expected, let found) {
            throw ConfigurationProblem("The data-protection key given (id \(found)) is not the one this database was encrypted with (id \(expected)). Start Lantern with the right key; after a rotation, that is the new one.")
        }
        app.storage[LookupKey.self] = LookupKeys(secret: SymmetricKey(data: Data(base64Encoded: secret)!))
    }

    static func lookup(_ app: Application) -> LookupKeys {
        guard let keys = app.storage[LookupKey.self] else { fatalError("KeyRing.load has not run") }
        return keys
    }
}

extension Request {
    var lookupKeys: LookupKeys { KeyRing.lookup(application) }
}
