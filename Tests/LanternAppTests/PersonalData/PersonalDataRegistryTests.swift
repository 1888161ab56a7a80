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
                for rule in [entry.erasure, entry.onRetention].compactMap({ $0 }) {
                    if case .reseal(let keeping, let clearing) = rule {
                        named += keeping + clearing
                        #expect(!entry.ownKey || entry.erasedContent != nil, "\(entry.table) is resealed on erasure but says nothing of what it becomes")
                    }
                }
                switch entry.link {
                case .itself: break
                case .column(let column, _): named.append(column)
                case .owner(let kind, let id, _): named += [kind, id]
                }
                if let erased = entry.erasedAtColumn { named.append(erased) }
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

    /// Rows for one person in every registered table, made through the pages where there are any.
    static func fillEveryTable(_ env: TestEnvironment, first: String, last: String) async throws -> SafeguardingCase {
        let name = "\(first) \(last)", today = Day(env.clock.now())
        let (caseworker, c) = try await PrivacyTests.openCase(env, first: first, last: last)
        let path = "/cases/\(c.id!.uuidString)"
        let forms: [(String, [String: String])] = [
            ("/tasks", ["title": "Call \(name)", "due_on": today.adding(days: 3).iso]),
            ("/markers", ["kind": "risk_to_staff", "reason": "\(name)'s exploiter calls the office", "review_on": today.adding(days: 90).iso]),
            ("/consents", ["purpose": "nrm", "decision": "given", "method": "in_person", "given_on": today.iso, "explained": "yes"]),
            ("/consents", ["purpose": "police_engagement", "decision": "given", "method": "in_person", "given_on": today.iso]),
            ("/actions", ["kind": "police_report", "recipient": "Police", "sent_on": today.iso, "status": "sent"]),
            ("/notifications", ["kind": "nrm"]),
        ]
        for (route, form) in forms {
            let response = try await caseworker.post(path + route, form)
            #expect(response.status == .seeOther, "\(route): \(response.body.string.prefix(400))")
        }
        let consent = try #require(try await CaseConsent.query(on: env.db).filter(\.$purpose == "police_engagement").first())
        #expect(try await caseworker.post(path + "/consents/\(consent.id!.uuidString)/withdraw", ["withdrawn_on": today.iso, "withdrawal_method": "Told \(first)'s support worker"]).status == .seeOther)
        let referral = try #require(try await HomeOfficeReferral.query(on: env.db).filter(\.$safeguardingCase.$id == c.id!).first())
        #expect(try await caseworker.post(path + "/notifications/\(referral.id!.uuidString)/move", ["to": "submitted", "on": today.iso, "reference": "NRM-MD-1"]).status == .seeOther)

        // A concern about the person, linked to the case, with a reporter who gave their name and a message.
        let reporter = try env.browser()
        _ = try await ConcernsTests.reportAnonymously(reporter, ConcernsTests.publicReport.filter { $0.0 != "who" } + [("who", name)])
        try await reporter.get("/report/messages")
        let message = try await reporter.post("/report/messages", ["message": "\(first) was there again."])
        #expect(message.status == .seeOther, "\(message.body.string.prefix(600))")
        let concern = try #require(try await Concern.query(on: env.db).filter(\.$receiptHash != nil).first())
        concern.caseID = c.id
        try await concern.save(on: env.db)
        let named = ConcernReporter()
        named.$concern.id = concern.id!
        try named.seal(.init(name: name, role: "Neighbour", organisation: "", email: "md@example.org", phone: ""), with: env.app.lantern.cipher)
        try await named.create(on: env.db)

        let dpo = try env.browser()
        try await dpo.signIn(as: .dataProtectionOfficer)
        for (route, form) in [("/privacy/sar", ["name": name, "date_of_birth": "14/03/1990", "contact": "By email", "received_on": today.iso, "aliases": ""]),
                              ("/privacy/requests", ["kind": "rectification", "requester": name, "details": "My town is wrong", "received_on": today.iso, "case_reference": c.reference]),
                              ("/privacy/disclosures", ["recipient": "Leeds police", "what": "\(name)'s account", "lawful_basis": "vital_interests", "disclosed_on": today.iso, "case_reference": c.reference])] {
            let response = try await dpo.post(route, form)
            #expect(response.status == .seeOther, "\(route): \(response.body.string.prefix(400))")
        }

        let procurement = try env.browser()
        try await procurement.signIn(as: .contractManager)
        try await procurement.post("/suppliers", ["name": "Nail Bar Supplies Ltd", "turnover_band": "under_36m"])
        let supplier = try await SuppliersTests.supplier(named: "Nail Bar Supplies Ltd", in: env)
        #expect(try await procurement.post("/suppliers/\(supplier.id!.uuidString)/contacts", ["name": name, "role": "Manager", "email": "md@nails.example"]).status == .seeOther)

        let staff = StaffMember()
        staff.staffNumber = "MD1"; staff.name = name; staff.jobTitle = "Cleaner"; staff.directorate = "Place"; staff.updatedAt = env.clock.now()
        try await staff.create(on: env.db)

        // A note the caseworker sent after their session had expired, kept for them.
        let caseworkerAccount = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .caseworker)).first())
        let kept = KeptForm(userID: caseworkerAccount.id!, action: path + "/notes", now: env.clock.now())
        try kept.seal([.init(name: "note", value: "\(first) called again")], with: env.app.lantern.cipher)
        try await kept.create(on: env.db)

        // An authenticator being set up (unconfirmed, so sign-in is unchanged) and a recovery code.
        let authenticator = TwoFactorCredential(userID: caseworkerAccount.id!, at: env.clock.now())
        try authenticator.seal(Base32.encode(OneTimePassword.generateSecret()), with: env.app.lantern.cipher)
        try await authenticator.create(on: env.db)
        try await RecoveryCode(userID: caseworkerAccount.id!, digest: RecoveryCode.digest("abcde-fghjk", keys: KeyRing.lookup(env.app))).create(on: env.db)
        // An API token the caseworker made.
        _ = try await APITests.token(env, .caseworker, scopes: [.viewCases])
        // Partnership meeting minutes that mention them.
        let meeting = PartnershipMeeting()
        meeting.title = "Partnership meeting"; meeting.heldOn = Day(env.clock.now()).iso; meeting.createdAt = env.clock.now()
        try meeting.seal(.init(minutes: "\(first)'s case was discussed", decisions: []), with: env.app.lantern.cipher)
        try await meeting.create(on: env.db)
        return c
    }

    static func count(_ env: TestEnvironment, _ table: String) async throws -> Int {
        try await env.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
    }

    @Test(arguments: TestDatabase.available)
    func everyRegisteredTableIsFoundRotatedErasedAndPurgedByWalkingTheRegistry(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let registry = env.app.personalData
            let c = try await Self.fillEveryTable(env, first: "Mirela", last: "Dragan")
            for entry in registry.tables {
                #expect(try await Self.count(env, entry.table) > 0, "no sample row in \(entry.table): add one to fillEveryTable")
            }

            // Subject access: every table with a finder finds the person.
            let found = try await PersonSearch.run(.init(names: ["Mirela Dragan"], dateOfBirth: Day(parsing: "1990-03-14"), references: ["NRM-MD-1"]),
                                                   on: env.db, cipher: env.app.lantern.cipher, lookup: KeyRing.lookup(env.app), registry: registry)
            #expect(Set(found.map(\.kind)) == ["Case", "Concern", "Reporter", "Supplier contact", "Training record"])
            #expect(found.first { $0.kind == "Case" }?.lines.contains { $0.contains("NRM referral") } == true)
            let dpo = try env.browser()
            try await dpo.signIn(as: .dataProtectionOfficer)
            let sar = try #require(try await SubjectAccessRequest.query(on: env.db).first())
            let sarPath = "/privacy/sar/\(sar.id!.uuidString)"
            try await dpo.post(sarPath + "/identity", ["method": "Passport", "verified_on": Day(env.clock.now()).iso])
            #expect(try await dpo.post(sarPath + "/search", [:]).status == .seeOther)
            try await env.runJobs()
            try await dpo.postPairs(sarPath + "/review", found.map { ("include[]", $0.id) })
            let copy = try await dpo.get(sarPath + "/export.json").body.string
            for kind in ["Case", "Concern", "Reporter", "Supplier contact", "Training record"] { #expect(copy.contains(kind), "\(kind) missing from the copy") }

            // Every page each role could open answers as it did before the rotation.
            let pages = ["/cases/\(c.id!.uuidString)", "/privacy", sarPath, "/privacy/disclosures", "/concerns", "/home", "/training/staff"]
                + (try await PrivacyRequest.query(on: env.db).all()).map { "/privacy/requests/\($0.id!.uuidString)" }
            var before: [String: HTTPStatus] = [:]
            for role in Role.allCases {
                let browser = try env.browser()
                try await browser.signIn(as: role)
                for page in pages { before["\(role) \(page)"] = try await browser.get(page).status }
            }
            let newKey = try DataProtectionKey(base64: DataProtectionKey.generateBase64())
            let rotated = try await KeyRotation.rotate(on: env.db, cipher: FieldCipher(master: newKey, previous: [env.app.lantern.configuration.dataProtectionKey]), registry: registry)
            #expect(rotated.rewrapped > 0)
            // Restarted on the new key, as an administrator does after `lantern keys rotate`.
            var configuration = env.app.lantern.configuration
            configuration.previousDataProtectionKeys = [configuration.dataProtectionKey]
            configuration.dataProtectionKey = newKey
            env.app.lantern = LanternServices(configuration: configuration)
            for role in Role.allCases {
                let browser = try env.browser()
                try await browser.signIn(as: role)
                for page in pages {
                    let status = try await browser.get(page).status
                    #expect(status == before["\(role) \(page)"], "\(role) \(page): \(status) after the rotation")
                    #expect(status != .internalServerError)
                }
            }

            // Erasure walks down from the case: each linked table is emptied, resealed or kept as it declares.
            let context = ErasureContext(db: env.db, cipher: env.app.lantern.cipher, lookup: KeyRing.lookup(env.app), now: env.clock.now(), purpose: .request)
            let tally = try await env.app.personalDataEraser.erase(SafeguardingCase.schema, ids: [c.id!], in: context)
            for entry in registry.tables where registry.depth(of: entry.table) > 0 || entry.table == SafeguardingCase.schema {
                let reached = entry.link.parents.contains(SafeguardingCase.schema) || entry.table == SafeguardingCase.schema
                    || entry.link.parents.contains { registry[$0]?.link.parents.contains(SafeguardingCase.schema) == true }
                guard reached else { continue }
                switch entry.rule(for: .request) {
                case .keep: #expect(tally[entry.table] == 0, "\(entry.table) is kept, yet the erasure changed it")
                case .delete, .reseal: #expect(tally[entry.table] > 0, "the erasure never reached \(entry.table)")
                }
            }
            #expect(try await Self.count(env, ConcernReporter.schema) == 1, "the reporter's own details are theirs, kept")
            // The subject access request keeps the copy it sent; the reporter keeps their own name.
            let everything = try await PrivacyTests.decryptedText(env, dataRightsRecords: false)
            let survivors = ["07700 900555", "exploiter calls", "NRM-MD-1", "was there again", "Told Mirela", "Mirela Dragan's account"].filter(everything.contains)
            #expect(survivors == [], "survived the erasure")
            #expect(everything.contains("Leeds police"), "the disclosure log keeps who was told, so they can be told of the erasure")

            // The purge, under the retention schedule, reaches the staff record and the supplier's contact.
            let leaver = try #require(try await StaffMember.query(on: env.db).filter(\.$name == "Mirela Dragan").first())
            leaver.leftOn = Day(env.clock.now()).adding(days: -4000).iso
            try await leaver.save(on: env.db)
            let purged = try await RetentionPurge.run(env.app, today: Day(env.clock.now()), dryRun: false)
            #expect(purged.lines.first { $0.type == .trainingRecords }?.ids == [leaver.id!])
            #expect(try await StaffMember.find(leaver.id, on: env.db) == nil)
            #expect(Set(registry.retention.map(\.record)) == Set(RetainedRecord.allCases.filter { $0 != .auditLog }), "every retention class has a root in the registry")
        }
    }
}
