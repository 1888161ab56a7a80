import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// Typed reasons that can name people are sealed, never stored in clear: why a reporter was
/// revealed (kept in the audit row), how identity was confirmed and why a subject access
/// deadline was extended, and how consent was withdrawn (issue 17, item 7).
@Suite("Sealed reasons")
struct SealedReasonsTests {
    @Test(arguments: TestDatabase.available)
    func theRevealReasonIsSealedInTheAuditRowAndReadOnlyByTheAuditor(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let reporter = try env.browser()
            var named = ConcernsTests.publicReport.filter { $0.0 != "anonymous" }
            named += [("anonymous", "no"), ("reporter_name", "Gwen Thomas"), ("reporter_email", "gwen@example.org"),
                      ("reporter_phone", ""), ("reporter_organisation", "")]
            let concern = try await env.created(Concern.self) { _ = try await ConcernsTests.reportAnonymously(reporter, named) }
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let path = "/concerns/\(concern.id!.uuidString)"
            try await lead.get(path)
            let reason = "Police asked us to put them in touch with Hamid Karimi's cousin"
            let revealed = try await lead.post(path + "/reveal-reporter", ["reason": reason])
            #expect(revealed.status == .ok)
            #expect(revealed.body.string.contains("Gwen Thomas"))

            let raw = try await RawDatabase.allText(env)
            #expect(!raw.contains("Hamid Karimi"), "the reveal reason is stored in clear")
            let row = try #require(try await AuditEntry.query(on: env.db).filter(\.$entityType == "ConcernReporter").first())
            #expect(row.detail?.hasPrefix("identity revealed; reason: sealed:v1:") == true)
            #expect(try await env.app.lantern.audit.verify(on: env.db).firstBreak == nil, "the sealed reason is part of the chain")

            let auditor = try env.browser()
            try await auditor.signIn(as: .auditor)
            let auditorView = try await auditor.get("/audit?entityType=ConcernReporter").body.string
            #expect(auditorView.contains("Hamid Karimi&#39;s cousin") || auditorView.contains("Hamid Karimi's cousin"))
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let adminView = try await admin.get("/audit?entityType=ConcernReporter").body.string
            #expect(adminView.contains("identity revealed"))
            #expect(!adminView.contains("Hamid Karimi"), "the administrator sees no case content")
            #expect(adminView.contains("[sealed: shown to the internal auditor]"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func identityMethodExtensionReasonAndWithdrawalMethodAreSealed(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let (caseworker, c) = try await PrivacyTests.openCase(env, first: "Zofia", last: "Kaminska")
            let today = Day(env.clock.now())
            let casePath = "/cases/\(c.id!.uuidString)"
            try await caseworker.post(casePath + "/consents", ["purpose": "nrm", "decision": "given", "method": "in_person", "given_on": today.iso, "explained": "yes"])
            let consent = try #require(try await CaseConsent.query(on: env.db).filter(\.$safeguardingCase.$id == c.id!).first())
            let withdrawal = "By phone, through her advocate Marta Lewandowska"
            try await caseworker.post(casePath + "/consents/\(consent.id!.uuidString)/withdraw", ["withdrawn_on": today.iso, "withdrawal_method": withdrawal])
            #expect(try await caseworker.get(casePath).body.string.contains(withdrawal))

            let dpo = try env.browser()
            try await dpo.signIn(as: .dataProtectionOfficer)
            let created = try await dpo.post("/privacy/sar", ["name": "Zofia Kaminska", "date_of_birth": "14/03/1990", "contact": "By email",
                                                              "received_on": today.iso, "aliases": ""])
            let path = try #require(created.location)
            let method = "Passport seen in person, with her key worker Ilona Sobczak"
            let extensionReason = "Records held with Ilona Sobczak's team need retrieving from archive"
            #expect(try await dpo.post(path + "/identity", ["method": method, "verified_on": today.iso]).status == .seeOther)
            #expect(try await dpo.post(path + "/extend", ["reason": extensionReason, "told_on": today.iso]).status == .seeOther)
            let page = try await dpo.get(path).body.string
            #expect(page.contains("Passport seen in person"))
            #expect(page.contains("need retrieving from archive"))

            let raw = try await RawDatabase.allText(env)
            for typed in ["Marta Lewandowska", "Ilona Sobczak", "Passport seen in person"] {
                #expect(!raw.contains(typed), "\(typed) is stored in clear")
            }
            // The person's own copy still carries what was sealed about them.
            try await dpo.post(path + "/search", [:])
            try await env.runJobs()
            try await dpo.postPairs(path + "/review", [("include[]", c.id!.uuidString)])
            #expect(try await dpo.get(path + "/export.json").body.string.contains("Marta Lewandowska"))
        }
    }
}
