import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Personal data: subject access, erasure, restriction, retention")
struct PrivacyTests {
    /// Every sealed record opened, with its content as text: what a search of the database by
    /// someone holding the key would find.
    /// The data-rights records are left out on request: a subject access request keeps the copy it sent.
    static func decryptedText(_ env: TestEnvironment, dataRightsRecords: Bool = true) async throws -> String {
        let cipher = env.app.lantern.cipher
        var text = ""
        func add<M: SealedModel>(_ type: M.Type) async throws where M.Secrets: Encodable {
            for record in try await M.query(on: env.db).all() {
                text += String(decoding: try JSONEncoder().encode(try record.open(with: cipher)), as: UTF8.self) + "\n"
            }
        }
        try await add(SafeguardingCase.self); try await add(CaseNote.self); try await add(CaseTask.self); try await add(CaseMarker.self)
        try await add(CaseAction.self); try await add(HomeOfficeReferral.self); try await add(HomeOfficeReferralTransition.self)
        try await add(Concern.self); try await add(ConcernMessage.self); try await add(ConcernReporter.self); try await add(EvidenceFile.self)
        try await add(Disclosure.self)
        if dataRightsRecords { try await add(SubjectAccessRequest.self) }
        return text + (try await RawDatabase.allText(env, excluding: dataRightsRecords ? [] : [SubjectAccessRequest.schema]))
    }

    static func openCase(_ env: TestEnvironment, first: String, last: String) async throws -> (Browser, SafeguardingCase) {
        let browser = try env.browser()
        try await browser.signIn(as: .caseworker)
        let c = try await CasesTests.openCase(browser, env, CasesTests.person(first, last, age: "adult", extra: [("date_of_birth", "1990-03-14")]))
        let path = "/cases/\(c.id!.uuidString)"
        #expect(try await browser.post(path + "/notes", ["note": "Met \(first) at the drop-in; phone 07700 900555"]).status == .seeOther)
        let upload = try await browser.postFile(path + "/files", fields: ["description": "Payslip of \(first) \(last)"], fileField: "files[]",
                                                filename: "\(last)-payslip.pdf", contents: Data("%PDF-1.4\n\(first) \(last) payslip".utf8))
        #expect(upload.status == .seeOther)
        return (browser, c)
    }

    @Test(arguments: TestDatabase.available)
    func aSubjectAccessRequestGoesFromReceiptToExport(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let (_, c) = try await Self.openCase(env, first: "Zofia", last: "Kaminska")
            let dpo = try env.browser()
            try await dpo.signIn(as: .dataProtectionOfficer)
            let bad = try await dpo.post("/privacy/sar", ["name": "", "date_of_birth": "1990-02-30", "contact": "", "received_on": "2099-01-01", "aliases": "Zosia <b>"])
            #expect(bad.status == .unprocessableEntity)
            for message in ["Enter the name of the person asking", "Enter the date of birth as a real date", "Enter how to send the copy",
                            "The date received cannot be in the future"] {
                #expect(bad.body.string.contains(message), "missing: \(message)")
            }
            #expect(bad.body.string.contains("Zosia &lt;b&gt;"))
            let created = try await dpo.post("/privacy/sar", ["name": "Zofia Kaminska", "date_of_birth": "14/03/1990", "contact": "By email",
                                                              "received_on": "2026-11-02", "aliases": ""])
            #expect(created.status == .seeOther)
            let sar = try await env.record(SubjectAccessRequest.self, at: created.location)
            #expect(sar.dueOn == "2026-12-02")
            let path = created.location!
            // No copy before identity is confirmed and the search has run.
            #expect(try await dpo.get(path + "/export.json").status == .conflict)
            try await dpo.post(path + "/identity", ["method": "Passport seen in person", "verified_on": "2026-11-05"])
            try await dpo.post(path + "/search", [:])
            try await env.runJobs()
            let page = try await dpo.get(path).body.string
            #expect(page.contains("Case \(c.reference)"))
            #expect(page.contains("matched on surname and date of birth"))
            try await dpo.postPairs(path + "/review", [("include[]", c.id!.uuidString), ("redact", "Leeds")])
            let json = try await dpo.get(path + "/export.json")
            #expect(json.status == .ok)
            #expect(json.body.string.contains("Zofia Kaminska") && json.body.string.contains("07700 900555"))
            #expect(!json.body.string.contains("Leeds") && json.body.string.contains("[redacted]"))
            // Written for the person: dates in words, no internal codes.
            #expect(json.body.string.contains("Date of birth: 14 March 1990") && !json.body.string.contains("1990-03-14"))
            #expect(!json.body.string.contains("Optional("))
            let pdf = try await dpo.get(path + "/export.pdf")
            let pdfText = try ProgrammeTests.pdftotext(Data(buffer: pdf.body))
            #expect(pdfText.contains("Zofia Kaminska"))
            #expect(try await Disclosure.query(on: env.db).filter(\.$requestID == sar.id).count() == 2, "each export is logged")
            let log = try await dpo.get("/privacy/disclosures").body.string
            #expect(log.contains("The person&#39;s own subject access request") || log.contains("The person's own subject access request"))
            try await dpo.post(path + "/sent", ["sent_on": Day(env.clock.now()).iso])
            #expect(try await SubjectAccessRequest.find(sar.id, on: env.db)?.status == .sent)
            // The administrator sees no content, and cannot open the request.
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            #expect(try await admin.get(path).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aReportersAccountIsLeftOutOfTheCopyUnlessTheReviewerAddsItBack(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let reporter = try env.browser()
            let report = ConcernsTests.publicReport.filter { $0.0 != "who" && $0.0 != "description" }
                + [("who", "Tomasz Nowak, about 15"), ("description", "My neighbour Grace Hill saw him carried in at night.")]
            _ = try await ConcernsTests.reportAnonymously(reporter, report)
            try await reporter.post("/report/messages", ["message": "He was there again on Sunday."])

            let dpo = try env.browser()
            try await dpo.signIn(as: .dataProtectionOfficer)
            let created = try await dpo.post("/privacy/sar", ["name": "Tomasz Nowak", "date_of_birth": "", "contact": "By post",
                                                              "received_on": Day(env.clock.now()).iso, "aliases": ""])
            let path = try #require(created.location)
            try await dpo.post(path + "/identity", ["method": "Birth certificate, with his guardian", "verified_on": Day(env.clock.now()).iso])
            try await dpo.post(path + "/search", [:])
            try await env.runJobs()
            let found = try await env.record(SubjectAccessRequest.self, at: path).open(with: env.app.lantern.cipher).found
            let concern = try #require(found.first { $0.kind == "Concern" })
            #expect(concern.lines.contains("Who is at risk: Tomasz Nowak, about 15"))
            let page = try await dpo.get(path).body.string
            #expect(page.contains("Other people&#39;s information") || page.contains("Other people's information"))

            try await dpo.postPairs(path + "/review", [("include[]", concern.id)])
            let plain = try await dpo.get(path + "/export.json").body.string
            #expect(plain.contains("Tomasz Nowak, about 15"))
            #expect(!plain.contains("Grace Hill") && !plain.contains("again on Sunday"), "the reporter's account went into the copy by default")

            try await dpo.postPairs(path + "/review", [("include[]", concern.id), ("add_back[]", "\(concern.id)#0"), ("redact", "Grace Hill")])
            let added = try await dpo.get(path + "/export.json").body.string
            #expect(added.contains("saw him carried in at night") && added.contains("[redacted]"))
            #expect(!added.contains("Grace Hill") && !added.contains("again on Sunday"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func anErasedPersonCannotBeFoundAnywhereButTheStatisticsKeepTheirCounts(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let (caseworker, c) = try await Self.openCase(env, first: "Ottoline", last: "Quibble")
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            let year = FinancialYear.containing(env.clock.now()).endYear
            let before = try await analyst.get("/reports/report.csv?period=year&year=\(year)").body.string
            #expect(try await Self.decryptedText(env).contains("Quibble"))

            let dpo = try env.browser()
            try await dpo.signIn(as: .dataProtectionOfficer)
            let recorded = try await dpo.post("/privacy/requests", ["kind": "erasure", "requester": "The person, by letter", "details": "Please delete my records",
                                                                    "received_on": Day(env.clock.now()).iso, "case_reference": c.reference])
            let path = try #require(recorded.location)
            let unconfirmed = try await dpo.post(path + "/decide", ["decision": "granted", "reason": "No longer needed", "confirm_reference": "wrong"])
            #expect(unconfirmed.body.string.contains("Type the case reference \(c.reference) to confirm"))
            #expect(try await Self.decryptedText(env).contains("Quibble"), "nothing erased without confirmation")
            let erased = try await dpo.post(path + "/decide", ["decision": "granted", "reason": "No longer needed", "confirm_reference": c.reference])
            #expect(erased.status == .seeOther)

            // Database (every record opened), files, search and exports: no trace of the person.
            let everything = try await Self.decryptedText(env)
            for trace in ["Ottoline", "Quibble", "07700 900555", "1990-03-14", "Worked in a nail bar for no pay"] {
                #expect(!everything.contains(trace), "\(trace) is still held")
            }
            #expect(try await EvidenceFile.query(on: env.db).filter(\.$ownerID == c.id!).count() == 0)
            #expect(try await EvidenceChunk.query(on: env.db).count() == 0, "the erased files' bytes are still held")
            let found = try await PersonSearch.run(.init(names: ["Ottoline Quibble"], dateOfBirth: Day(parsing: "1990-03-14"), references: []),
                                                   on: env.db, cipher: env.app.lantern.cipher, lookup: KeyRing.lookup(env.app), registry: env.app.personalData)
            #expect(found.isEmpty)
            let training = try await dpo.get("/cases")
            #expect(training.status == .forbidden)
            #expect(!(try await caseworker.get("/cases").body.string.contains("Quibble")))
            // The anonymous figures are unchanged.
            let after = try await analyst.get("/reports/report.csv?period=year&year=\(year)").body.string
            #expect(before == after)
            // The case remains as a count, and can no longer be changed.
            let casePage = try await caseworker.get("/cases/\(c.id!.uuidString)").body.string
            #expect(casePage.contains("was erased on"))
            #expect(try await caseworker.post("/cases/\(c.id!.uuidString)/notes", ["note": "x"]).status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.available)
    func oneDetailOrRecordCanBeErasedOrCorrectedAndTheReporterIsToldWhatWent(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let (caseworker, c) = try await Self.openCase(env, first: "Petra", last: "Lind")
            let today = Day(env.clock.now())
            let reporter = try env.browser()
            _ = try await ConcernsTests.reportAnonymously(reporter, ConcernsTests.publicReport.filter { $0.0 != "who" } + [("who", "Petra Lind")])
            let concern = try #require(try await Concern.query(on: env.db).filter(\.$receiptHash != nil).first())
            concern.caseID = c.id
            try await concern.save(on: env.db)
            let dpo = try env.browser()
            try await dpo.signIn(as: .dataProtectionOfficer)

            // Erase the phone number and the one note, nothing else.
            let asked = try await dpo.post("/privacy/requests", ["kind": "erasure", "requester": "Petra Lind", "details": "Delete my old phone number and the drop-in note",
                                                                 "received_on": today.iso, "case_reference": c.reference])
            let path = try #require(asked.location)
            let page = try await dpo.get(path).body.string
            #expect(page.contains("value=\"field:phone\"") && page.contains("Note written"))
            #expect(!page.contains("07700"), "the form names the parts without showing their content")
            let note = try #require(try await CaseNote.query(on: env.db).filter(\.$safeguardingCase.$id == c.id!).first())
            let noneTicked = try await dpo.postPairs(path + "/decide", [("decision", "granted"), ("reason", "Agreed"), ("scope", "parts"), ("confirm_reference", c.reference)])
            #expect(noneTicked.body.string.contains("Tick each detail or record to erase"))
            let forged = try await dpo.postPairs(path + "/decide", [("decision", "granted"), ("reason", "Agreed"), ("scope", "parts"), ("parts[]", "record:users:\(UUID().uuidString)"),
                                                                  ("confirm_reference", c.reference)])
            #expect(forged.body.string.contains("Tick only details and records listed here"))
            let done = try await dpo.postPairs(path + "/decide", [("decision", "granted"), ("reason", "Agreed"), ("scope", "parts"), ("parts[]", "field:phone"),
                                                                ("parts[]", "record:case_notes:\(note.id!.uuidString)"), ("confirm_reference", c.reference)])
            #expect(done.status == .seeOther)
            let kept = try #require(try await SafeguardingCase.find(c.id, on: env.db))
            let secrets = try kept.open(with: env.app.lantern.cipher)
            #expect(secrets.phone == "" && secrets.lastName == "Lind" && kept.erasedAt == nil)
            #expect(try await CaseNote.query(on: env.db).filter(\.$safeguardingCase.$id == c.id!).count() == 0)
            #expect(try await EvidenceFile.query(on: env.db).filter(\.$ownerID == c.id!).count() == 1, "the file was not asked for")
            #expect(try await dpo.get(path).body.string.contains("Erased from case \(c.reference): phone number"))

            // Correct one detail: the town.
            let correction = try await dpo.post("/privacy/requests", ["kind": "rectification", "requester": "Petra Lind", "details": "I worked in Bradford, not Leeds",
                                                                      "received_on": today.iso, "case_reference": c.reference])
            let correctionPath = try #require(correction.location)
            let blank = try await dpo.post(correctionPath + "/decide", ["decision": "granted", "reason": "Checked", "field": "uk_towns", "corrected_value": ""])
            #expect(blank.body.string.contains("Enter the corrected value"))
            #expect(try await dpo.post(correctionPath + "/decide", ["decision": "granted", "reason": "Checked", "field": "uk_towns", "corrected_value": "Bradford"]).status == .seeOther)
            #expect(try await SafeguardingCase.find(c.id, on: env.db)!.open(with: env.app.lantern.cipher).ukTowns == "Bradford")

            // Erase the whole case: the reporter is told, and the case page stops asking for work.
            let whole = try await dpo.post("/privacy/requests", ["kind": "erasure", "requester": "Petra Lind", "details": "Delete everything",
                                                                 "received_on": today.iso, "case_reference": c.reference])
            let wholePath = try #require(whole.location)
            #expect(try await dpo.post(wholePath + "/decide", ["decision": "granted", "reason": "Agreed", "scope": "whole", "confirm_reference": c.reference]).status == .seeOther)
            let after = try #require(try await Concern.find(concern.id, on: env.db))
            #expect(after.erasedAt != nil && after.receiptHash != nil)
            #expect(try await ConcernMessage.query(on: env.db).filter(\.$concern.$id == concern.id!).count() == 1)
            let thread = try await reporter.get("/report/messages").body.string
            #expect(thread.contains("we removed the details of this report"))
            #expect(!thread.contains("Petra"))
            let casePage = try await caseworker.get("/cases/\(c.id!.uuidString)").body.string
            #expect(casePage.contains("was erased on") && !casePage.contains("What this person needs"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func restrictionBlocksChangesUntilLifted(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let (caseworker, c) = try await Self.openCase(env, first: "Ines", last: "Varga")
            let dpo = try env.browser()
            try await dpo.signIn(as: .dataProtectionOfficer)
            let recorded = try await dpo.post("/privacy/requests", ["kind": "restriction", "requester": "Ines Varga", "details": "Disputes the account",
                                                                    "received_on": Day(env.clock.now()).iso, "case_reference": c.reference])
            let path = try #require(recorded.location)
            let noReason = try await dpo.post(path + "/decide", ["decision": "granted", "reason": ""])
            #expect(noReason.body.string.contains("Give the reason for the decision"))
            try await dpo.post(path + "/decide", ["decision": "granted", "reason": "Accuracy contested"])
            let refused = try await caseworker.post("/cases/\(c.id!.uuidString)/notes", ["note": "More"])
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("Processing of this case is restricted"))
            #expect(try await caseworker.get("/cases/\(c.id!.uuidString)").status == .ok, "it can still be read")
            try await dpo.post(path + "/lift", [:])
            #expect(try await caseworker.post("/cases/\(c.id!.uuidString)/notes", ["note": "More"]).status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.available)
    func thePurgeDryRunChangesNothingAndTheRealRunRemovesExactlyWhatItReported(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let (_, old) = try await Self.openCase(env, first: "Elspeth", last: "Marrow")
            let (_, recent) = try await Self.openCase(env, first: "Tamsin", last: "Roe")
            let (_, older) = try await Self.openCase(env, first: "Wystan", last: "Pell")
            let now = env.clock.now()
            // Cases closed three and four years ago, one closed last week; one leaver of ten years ago.
            for (c, daysAgo) in [(old, 3 * 365), (recent, 7), (older, 4 * 365)] {
                c.status = .closed; c.closedAt = now.addingTimeInterval(-Double(daysAgo) * 86_400)
                try await c.save(on: env.db)
            }
            let leaver = StaffMember()
            leaver.staffNumber = "OLD1"; leaver.name = "Long Gone"; leaver.jobTitle = "Clerk"; leaver.directorate = "Place"
            leaver.leftOn = Day(now).adding(days: -3650).iso; leaver.updatedAt = now
            try await leaver.create(on: env.db)

            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let bad = try await admin.post("/admin/retention", Dictionary(uniqueKeysWithValues: RetainedRecord.allCases.map { ($0.rawValue, "24") }).merging(["closed_cases": "zero"]) { $1 })
            #expect(bad.body.string.contains("Enter the months to keep closed cases"))
            try await admin.post("/admin/retention", Dictionary(uniqueKeysWithValues: RetainedRecord.allCases.map { ($0.rawValue, "24") }))
            #expect(try await RetentionPeriod.schedule(on: env.db)[.closedCases] == 24)

            // Everything but the audit log (which records the preview) and the signed-in sessions.
            let beforeText = try await RawDatabase.allText(env, excluding: [AuditEntry.schema, StoredSession.schema])
            let preview = try await admin.post("/admin/retention/preview", [:])
            #expect(preview.body.string.contains("Dry run: nothing changed."))
            #expect(preview.body.string.contains("Closed cases (kept 24 months"))
            let dry = try await RetentionPurge.run(env.app, today: Day(now), dryRun: true)
            #expect(try await RawDatabase.allText(env, excluding: [AuditEntry.schema, StoredSession.schema]) == beforeText, "a dry run changes nothing")
            #expect(try await SafeguardingCase.find(old.id, on: env.db)?.erasedAt == nil)
            #expect(try await StaffMember.find(leaver.id, on: env.db) != nil)
            let toAnonymise = dry.lines.first { $0.type == .closedCases }!.ids
            let toDelete = dry.lines.first { $0.type == .trainingRecords }!.ids
            #expect(toAnonymise.contains(old.id!) && !toAnonymise.contains(recent.id!))
            #expect(toAnonymise == [old.id!, older.id!].sorted { $0.uuidString < $1.uuidString }, "listed in a fixed order, whatever the database returns")
            #expect(toDelete == [leaver.id!])

            let real = try await RetentionPurge.run(env.app, today: Day(now), dryRun: false)
            #expect(real.lines.map(\.ids) == dry.lines.map(\.ids), "the real run acts on exactly the list it reported")
            let erased = try await SafeguardingCase.query(on: env.db).filter(\.$erasedAt != nil).all().compactMap(\.id)
            #expect(Set(erased) == Set(toAnonymise))
            #expect(try await StaffMember.find(leaver.id, on: env.db) == nil)
            #expect(try await SafeguardingCase.find(recent.id, on: env.db)?.erasedAt == nil)
            #expect(!(try await Self.decryptedText(env).contains("Marrow")))
            #expect(try await Self.decryptedText(env).contains("Roe"))
            let again = try await RetentionPurge.run(env.app, today: Day(now), dryRun: true)
            #expect(again.lines.first { $0.type == .closedCases }!.ids.isEmpty, "nothing left to purge")
        }
    }

    @Test(arguments: TestDatabase.available)
    func withdrawnConsentBlocksWhatDependsOnItAndMarkersCanBeReviewedOnRequest(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let (caseworker, c) = try await Self.openCase(env, first: "Mirela", last: "Dragan")
            let path = "/cases/\(c.id!.uuidString)"
            let today = Day(env.clock.now())
            try await caseworker.post(path + "/consents", ["purpose": "information_sharing", "decision": "given", "method": "in_person", "given_on": today.iso])
            let share = ["kind": "support_organisation", "recipient": "Local refuge", "sent_on": today.iso, "status": "sent"]
            #expect(try await caseworker.post(path + "/actions", share).status == .seeOther, "consent given: sharing is allowed")
            let consent = try #require(try await CaseConsent.query(on: env.db).filter(\.$safeguardingCase.$id == c.id!).first())
            try await caseworker.post(path + "/consents/\(consent.id!.uuidString)/withdraw", ["withdrawn_on": today.iso, "withdrawal_method": "By phone"])
            let blocked = try await caseworker.post(path + "/actions", share)
            #expect(blocked.status == .unprocessableEntity)
            #expect(blocked.body.string.contains("The person withdrew consent to sharing information with partner agencies"))
            let police = ["kind": "police_report", "recipient": "Police", "sent_on": today.iso, "status": "sent"]
            #expect(try await caseworker.post(path + "/actions", police).status == .seeOther, "a statutory referral is not blocked by consent")
            // Both sharings are in the disclosure log, with the basis each rests on.
            let logged = try await Disclosure.query(on: env.db).filter(\.$caseID == c.id!).all()
            #expect(Set(logged.map(\.lawfulBasis)) == ["consent", "public_task"])
            #expect(try logged.map { try $0.open(with: env.app.lantern.cipher).recipient }.sorted() == ["Local refuge", "Police"])

            try await caseworker.post(path + "/markers", ["kind": "risk_to_staff", "reason": "Threats at the last visit", "review_on": today.adding(months: 6).iso])
            let marker = try #require(try await CaseMarker.query(on: env.db).filter(\.$safeguardingCase.$id == c.id!).first())
            let future = try await caseworker.post(path + "/markers/\(marker.id!.uuidString)/review-requested", ["requested_on": today.adding(days: 2).iso])
            #expect(future.body.string.contains("cannot be in the future"))
            try await caseworker.post(path + "/markers/\(marker.id!.uuidString)/review-requested", ["requested_on": today.iso])
            let reviewed = try #require(try await CaseMarker.find(marker.id, on: env.db))
            #expect(reviewed.reviewRequestedOn == today.iso)
            #expect(reviewed.reviewOn == RequestDeadline.due(clockStart: today).iso, "the review is brought forward to within a month")
            #expect(try await caseworker.get(path).body.string.contains("Review requested by the person on"))
            // Removing a marker asks once more before staff stop being warned.
            let asked = try await caseworker.post(path + "/markers/\(marker.id!.uuidString)/remove", [:])
            #expect(asked.status == .ok && asked.body.string.contains("Yes, remove the marker"))
            #expect(try await CaseMarker.find(marker.id, on: env.db)?.removedAt == nil)
            #expect(try await caseworker.post(path + "/markers/\(marker.id!.uuidString)/remove", ["confirmed": "yes"]).status == .seeOther)
            #expect(try await CaseMarker.find(marker.id, on: env.db)?.removedAt != nil)

            // A rectification adds the person's view to the case rather than overwriting it.
            let dpo = try env.browser()
            try await dpo.signIn(as: .dataProtectionOfficer)
            let request = try await dpo.post("/privacy/requests", ["kind": "rectification", "requester": "Mirela Dragan", "details": "I was never at the car wash",
                                                                   "received_on": today.iso, "case_reference": c.reference])
            try await dpo.post(request.location! + "/decide", ["decision": "partly_granted", "reason": "View added; the record of the visit stands"])
            let notes = try await CaseNote.query(on: env.db).filter(\.$safeguardingCase.$id == c.id!).all().map { try $0.open(with: env.app.lantern.cipher) }
            #expect(notes.contains { $0.contains("The person's view") && $0.contains("I was never at the car wash") })
        }
    }
}
