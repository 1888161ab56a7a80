import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

/// The registry of personal data matches the live schema, and key rotation, which walks it,
/// reaches every table that carries a wrapped data key (issue 18, item 1).
@Suite("Personal-data registry")
struct PersonalDataRegistryTests {
    static func columns(_ env: TestEnvironment, of table: String) async throws -> Set<String> {
        if env.database == .sqlite {
            return Set(try await env.sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all().map { try $0.decode(column: "name", as: String.self) })
        }
        return Set(try await env.sql.raw("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table)")
            .all().map { try $0.decode(column: "column_name", as: String.self) })
    }

    @Test(arguments: TestDatabase.available)
    func everySealedTableInTheSchemaIsRegisteredAndEveryDeclarationMatchesIt(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let registry = env.app.personalData
            var schema: [String: Set<String>] = [:]
            for table in try await RawDatabase.tables(env) { schema[table] = try await Self.columns(env, of: table) }
            for (table, columns) in schema.sorted(by: { $0.key < $1.key }) {
                let sealed = columns.filter { $0.contains("sealed") || $0 == "wrapped_key" }
                guard !sealed.isEmpty else { continue }
                let entry = try #require(registry[table], "\(table) holds sealed data but is not in the personal-data registry")
                #expect(entry.ownKey == columns.contains("wrapped_key"), "\(table): ownKey does not match its wrapped_key column")
                // With its own key, `sealed` is the row's own; without, every sealed column is under a parent's key.
                let underParent = sealed.subtracting(entry.ownKey ? ["sealed", "wrapped_key"] : ["wrapped_key"])
                #expect(Set(entry.sealedUnderParent.keys) == underParent, "\(table): sealed columns \(underParent.sorted()) are not all declared")
            }
            for entry in registry.tables {
                let columns = try #require(schema[entry.table], "\(entry.table) is registered but not in the schema")
                var named = entry.blindIndexes + entry.clearPersonalColumns + Array(entry.sealedUnderParent.keys)
                if case .reseal(let keeping) = entry.erasure { named += keeping }
                if case .column(let column, _) = entry.link { named.append(column) }
                for column in named { #expect(columns.contains(column), "\(entry.table).\(column) is declared but not in the schema") }
                for parent in entry.sealedUnderParent.values { #expect(registry[parent]?.ownKey == true, "\(entry.table) is sealed under \(parent), which has no key") }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func rotationReachesEveryTableWithAWrappedKeyIncludingTheDataRightsRecords(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            // One row at least in the tables key rotation used to miss.
            let (caseworker, c) = try await PrivacyTests.openCase(env, first: "Olga", last: "Marin")
            let today = Day(env.clock.now())
            try await caseworker.post("/cases/\(c.id!.uuidString)/actions", ["kind": "police_report", "recipient": "Police", "sent_on": today.iso, "status": "sent"])
            let dpo = try env.browser()
            try await dpo.signIn(as: .dataProtectionOfficer)
            let sar = try await dpo.post("/privacy/sar", ["name": "Olga Marin", "date_of_birth": "14/03/1990", "contact": "By email", "received_on": today.iso, "aliases": ""])
            let request = try await dpo.post("/privacy/requests", ["kind": "rectification", "requester": "Olga Marin", "details": "My town is wrong",
                                                                   "received_on": today.iso, "case_reference": c.reference])
            #expect(sar.status == .seeOther && request.status == .seeOther)
            for type in [SubjectAccessRequest.schema, PrivacyRequest.schema, Disclosure.schema] {
                #expect(try await env.sql.raw("SELECT COUNT(*) AS n FROM \(ident: type)").first()!.decode(column: "n", as: Int.self) > 0)
            }

            let newKey = try DataProtectionKey(base64: DataProtectionKey.generateBase64())
            let rotating = FieldCipher(master: newKey, previous: [env.app.lantern.configuration.dataProtectionKey])
            _ = try await KeyRotation.rotate(on: env.db, cipher: rotating, registry: env.app.personalData)
            // Every wrapped key in every table of the live schema is now under the new key.
            let onlyNew = FieldCipher(master: newKey)
            for table in try await RawDatabase.tables(env) where try await Self.columns(env, of: table).contains("wrapped_key") {
                for row in try await env.sql.select().column("wrapped_key").from(table).all() {
                    let wrapped = try WrappedDataKey.parse(try row.decode(column: "wrapped_key", as: Data.self))
                    #expect(wrapped.keyID == onlyNew.currentKeyID, "a row of \(table) is still under the old key")
                }
            }
            let reread = try #require(try await SubjectAccessRequest.query(on: env.db).first())
            #expect(try reread.open(with: onlyNew).name == "Olga Marin")
        }
    }
}
