import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Sharing cases with partners under agreements")
struct CaseSharingTests {
    @Test(arguments: TestDatabase.available)
    func aPartnerSeesExactlyWhatIsSharedUntilTheShareOrTheAgreementEnds(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let police = try #require(try await PartnerOrganisation.query(on: env.db).filter(\.$kind == .police).first())
            let agreement = try #require(try await SharingAgreement.query(on: env.db).filter(\.$partner.$id == police.id!).first())
            let shared = try await CaseShare.query(on: env.db).all().map(\.caseID)
            let c = try #require(try await SafeguardingCase.query(on: env.db).filter(\.$status == .open).all().first { !shared.contains($0.id!) })
            let secrets = try c.open(with: env.app.lantern.cipher)
            let path = "/cases/\(c.id!.uuidString)"

            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            #expect(try await lead.get(path).body.string.contains("Share with a partner"))
            // Only what the agreement covers: contact details are not in it.
            let outside = try await lead.postPairs(path + "/shares", [("agreement_id", agreement.id!.uuidString), ("parts[]", "identity"), ("parts[]", "contact")])
            #expect(outside.status == .unprocessableEntity)
            #expect(outside.body.string.contains("does not cover contact details"))
            let asked = try await lead.postPairs(path + "/shares", [("agreement_id", agreement.id!.uuidString), ("parts[]", "identity")])
            #expect(asked.status == .ok && asked.body.string.contains("Yes, share it"), "a confirmation first")
            #expect(try await CaseShare.query(on: env.db).filter(\.$caseID == c.id!).count() == 0)
            let disclosuresBefore = try await Disclosure.query(on: env.db).filter(\.$caseID == c.id!).count()
            let done = try await lead.postPairs(path + "/shares", [("agreement_id", agreement.id!.uuidString), ("parts[]", "identity"), ("confirmed", "yes")])
            #expect(done.status == .seeOther)
            let share = try #require(try await CaseShare.query(on: env.db).filter(\.$caseID == c.id!).first())
            #expect(try await Disclosure.query(on: env.db).filter(\.$caseID == c.id!).count() == disclosuresBefore + 1, "the disclosure log records it")

            let partner = try env.browser()
            try await partner.signIn(as: .partner)
            #expect(try await partner.get(path).status == .forbidden, "the case itself stays closed to partners")
            #expect(try await partner.get("/shared-cases").body.string.contains(c.reference))
            let page = try await partner.get("/shared-cases/\(share.id!.uuidString)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(secrets.lastName))
            #expect(!page.body.string.contains(SharingRules.Part.exploitation.label), "only the identity was shared")
            if !secrets.phone.isEmpty { #expect(!page.body.string.contains(secrets.phone)) }
            #expect(try await AuditEntry.query(on: env.db).filter(\.$entityType == AuditEntity.caseShare.rawValue).filter(\.$entityID == share.id!.uuidString)
                .filter(\.$action == "read").count() == 1, "each opening is audited")

            // Another partner's staff see nothing of it.
            let glaa = try #require(try await PartnerOrganisation.query(on: env.db).filter(\.$kind == .glaa).first())
            let someone = try #require(try await User.query(on: env.db).filter(\.$role == .partner).first())
            someone.partnerID = glaa.id
            try await someone.save(on: env.db)
            let other = try env.browser()
            try await other.signIn(as: .partner)
            #expect(try await other.get("/shared-cases/\(share.id!.uuidString)").status == .notFound)
            someone.partnerID = police.id
            try await someone.save(on: env.db)

            // Withdrawn: access ends at once.
            try await lead.get(path)
            #expect(try await lead.post(path + "/shares/\(share.id!.uuidString)/withdraw", [:]).status == .seeOther)
            #expect(try await partner.get("/shared-cases/\(share.id!.uuidString)").status == .notFound)

            // Shared again, then the agreement passes its review date: access ends too, and nothing more is shared.
            try await lead.get(path)
            #expect(try await lead.postPairs(path + "/shares", [("agreement_id", agreement.id!.uuidString), ("parts[]", "identity"), ("confirmed", "yes")]).status == .seeOther)
            let again = try #require(try await CaseShare.query(on: env.db).filter(\.$caseID == c.id!).filter(\.$withdrawnAt == nil).first())
            #expect(try await partner.get("/shared-cases/\(again.id!.uuidString)").status == .ok)
            env.clock.advance(by: 24 * 3600 * 100)
            try await partner.signIn(as: .partner)
            #expect(try await partner.get("/shared-cases/\(again.id!.uuidString)").status == .notFound)
            try await lead.signIn(as: .safeguardingLead)
            try await lead.get(path)
            let late = try await lead.postPairs(path + "/shares", [("agreement_id", agreement.id!.uuidString), ("parts[]", "identity"), ("confirmed", "yes")])
            #expect(late.status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyTheOwnerOrALeadSharesACase(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let caseworker = try #require(try await User.query(on: env.db).filter(\.$role == .caseworker).first())
            let agreement = try #require(try await SharingAgreement.query(on: env.db).first())
            // A case of the caseworker's team that someone else owns.
            let lead = try #require(try await User.query(on: env.db).filter(\.$role == .safeguardingLead).first())
            let c = try #require(try await SafeguardingCase.query(on: env.db).filter(\.$team.$id == caseworker.$team.id).filter(\.$status == .open).first())
            c.$owner.id = lead.id
            try await c.save(on: env.db)
            let before = try await CaseShare.query(on: env.db).filter(\.$caseID == c.id!).count()
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            let path = "/cases/\(c.id!.uuidString)"
            let page = try await browser.get(path)
            #expect(page.status == .ok, "the team's caseworker reads it")
            #expect(!page.body.string.contains("Share with a partner"))
            let refused = try await browser.postPairs(path + "/shares", [("agreement_id", agreement.id!.uuidString), ("parts[]", "identity"), ("confirmed", "yes")])
            #expect(refused.status == .forbidden)
            #expect(try await CaseShare.query(on: env.db).filter(\.$caseID == c.id!).count() == before)
        }
    }
}

@Suite("Partnership meetings")
struct MeetingsTests {
    @Test(arguments: TestDatabase.available)
    func eachInviteeSeesWhatTheyAreEntitledToAndActionsJoinThePlan(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let police = try #require(try await PartnerOrganisation.query(on: env.db).filter(\.$kind == .police).first())
            let shared = try #require(try await CaseShare.query(on: env.db).first())
            let sharedCase = try #require(try await SafeguardingCase.find(shared.caseID, on: env.db))
            let other = try #require(try await SafeguardingCase.query(on: env.db).filter(\.$id != shared.caseID).sort(\.$reference).first())
            let caseworker = try #require(try await User.query(on: env.db).filter(\.$role == .caseworker).first())

            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            try await lead.get("/meetings/new")
            // A list longer than any meeting discusses is refused whole, before any case is looked up.
            let long = (0...MeetingsController.maxAgendaCases).map { "CASE-26-\($0)" }.joined(separator: "\n")
            let tooMany = try await lead.postPairs("/meetings", [("title", "Long"), ("held_on", "2026-12-15"), ("invitees[]", "partner:\(police.id!.uuidString)"), ("cases", long)])
            #expect(tooMany.status == .unprocessableEntity && tooMany.body.string.contains("takes up to 50 cases"))
            try await lead.get("/meetings/new")
            let made = try await lead.postPairs("/meetings", [("title", "Modern Slavery Partnership, quarter 3"), ("held_on", "2026-12-15"),
                                                              ("invitees[]", "partner:\(police.id!.uuidString)"), ("invitees[]", "user:\(caseworker.id!.uuidString)"),
                                                              ("themes", "County lines in the town centre"), ("cases", "\(sharedCase.reference)\n\(other.reference)")])
            #expect(made.status == .seeOther, "\(made.body.string.prefix(1500))")
            let meeting = try #require(try await PartnershipMeeting.query(on: env.db).first())
            let path = "/meetings/\(meeting.id!.uuidString)"

            // The police see the theme and the case shared with them, not the other case.
            let partner = try env.browser()
            try await partner.signIn(as: .partner)
            let seen = try await partner.get(path).body.string
            #expect(seen.contains("County lines in the town centre") && seen.contains("Case \(sharedCase.reference)"))
            #expect(!seen.contains("Case \(other.reference)") && seen.contains("1 case is on the agenda that you are not entitled to see"))
            // Someone not invited cannot open it.
            let trainer = try env.browser()
            try await trainer.signIn(as: .trainingManager)
            #expect(try await trainer.get(path).status == .notFound)
            #expect(!(try await trainer.get("/meetings").body.string.contains("quarter 3")))

            // Minutes are sealed; an action for the police joins the action plan.
            try await lead.get(path)
            #expect(try await lead.post(path + "/minutes", ["minutes": "Operation Lantern Rose briefed by DI Harper", "decisions": "Joint visits to car washes"]).status == .seeOther)
            #expect(!(try await RawDatabase.allText(env)).contains("Lantern Rose"))
            #expect(try await partner.get(path).body.string.contains("Operation Lantern Rose briefed"))
            try await lead.get(path)
            let refused = try await lead.post(path + "/actions", ["title": "Visit the car washes", "owner": "partner:\(UUID().uuidString)", "due_on": "2027-01-20"])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("someone invited to the meeting"))
            #expect(try await lead.post(path + "/actions", ["title": "Visit the car washes", "owner": "partner:\(police.id!.uuidString)", "due_on": "2026-11-20", "area": "detection"]).status == .seeOther)
            let plan = try #require(try await PlanAction.query(on: env.db).filter(\.$title == "Visit the car washes").first())
            #expect(plan.owner == police.name && plan.area == .detection && plan.status == .notStarted)

            // It is the partner's to do: in their list and their daily email.
            let partnerUser = try #require(try await User.query(on: env.db).filter(\.$role == .partner).first())
            let lines = try await DailyDigest.lines(for: partnerUser, on: env.db, today: Day(env.clock.now()))
            #expect(lines.contains { $0.what.contains("partnership meeting action") })
            #expect(try await partner.get("/meetings").body.string.contains("Visit the car washes"))
            let action = try #require(try await MeetingAction.query(on: env.db).first())
            try await partner.get(path)
            #expect(try await partner.post(path + "/actions/\(action.id!.uuidString)/done", [:]).status == .seeOther)
            #expect(try await PlanAction.find(plan.id, on: env.db)?.status == .done)
        }
    }
}

@Suite("The partner register, areas and agreements")
struct PartnerRegisterTests {
    @Test(arguments: TestDatabase.available)
    func partnersAreasAndAgreementsAreCheckedAndKept(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            try await lead.get("/partners")
            let bad = try await lead.post("/partners", ["name": "Demo Borough Police", "kind": "pirates", "contact_email": "not-an-email"])
            #expect(bad.status == .unprocessableEntity)
            for words in ["Demo Borough Police is already on the register", "Choose what kind of organisation it is", "Enter an email address in the correct format"] {
                #expect(bad.body.string.contains(words), "\(words)")
            }
            let added = try await lead.post("/partners", ["name": "Borough Fire and Rescue", "kind": "fire", "contact_name": "Station Manager"])
            #expect(added.status == .seeOther)
            let fire = try #require(try await PartnerOrganisation.query(on: env.db).filter(\.$name == "Borough Fire and Rescue").first())
            #expect(fire.kind == .fire && fire.isActive)
            try await lead.get("/partners/\(fire.id!.uuidString)")
            #expect(try await lead.post("/partners/\(fire.id!.uuidString)", ["name": "Borough Fire and Rescue", "kind": "fire"]).status == .seeOther)
            #expect(try await PartnerOrganisation.find(fire.id, on: env.db)?.isActive == false, "an unticked box makes it inactive")

            try await lead.get("/partners")
            #expect(try await lead.post("/partners/areas", ["area_name": "central", "area_kind": "ward"]).body.string.contains("central is already on the list"))
            #expect(try await lead.post("/partners/areas", ["area_name": "SK1", "area_kind": "postcode_district"]).status == .seeOther)
            #expect(try await PartnershipArea.names(on: env.db).contains("SK1"))

            try await lead.get("/partners/agreements")
            let police = try #require(try await PartnerOrganisation.query(on: env.db).filter(\.$kind == .police).first())
            let refused = try await lead.postPairs("/partners/agreements", [("partner_id", police.id!.uuidString), ("purpose", "Joint work"),
                                                                            ("article6", "public_task"), ("article9", "none"), ("schedule1", "none"),
                                                                            ("categories[]", "exploitation"), ("starts_on", "2026-04-01"), ("review_on", "2026-01-01")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("The exploitation is special category data"))
            #expect(refused.body.string.contains("The review must be on or after the start"))
            #expect(refused.body.string.contains("Joint work"), "what was typed stays")
            let before = try await SharingAgreement.query(on: env.db).count()
            let made = try await lead.postPairs("/partners/agreements", [("partner_id", police.id!.uuidString), ("purpose", "Joint work"),
                                                                         ("article6", "public_task"), ("article9", "substantial_public_interest"), ("schedule1", "p2_18_safeguarding"),
                                                                         ("categories[]", "identity"), ("categories[]", "exploitation"), ("starts_on", "2026-04-01"), ("review_on", "2027-03-31")])
            #expect(made.status == .seeOther)
            #expect(try await SharingAgreement.query(on: env.db).count() == before + 1)
            #expect(try await SharingAgreement.query(on: env.db).filter(\.$purpose == "Joint work").first()?.categories == "identity,exploitation")

            // The template partners fill in is the importer's own columns.
            let template = try await lead.get("/returns/template.csv").body.string
            #expect(template.hasPrefix("date,exploitation_type,age_group,gender,nationality,area,outcome,source_kind,shared_key"))
        }
    }
}
