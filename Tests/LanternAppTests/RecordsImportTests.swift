import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// Moving a council's old cases, referrals, decisions and concerns in from CSV.
@Suite("Records moved in from a former system")
struct RecordsImportTests {
    static let cases = """
        former_reference,opened_on,first_name,last_name,date_of_birth,age,gender,nationality,exploitation_types,location,uk_towns,team,nrm_consent,nrm_consent_on,status,closed_on,closed_reason,summary
        SG-2023-0142,2023-06-14,Arben,Hoxha,1990-02-01,adult,male,Albanian,forced_to_work; wages_taken,uk,Leeds,Adult Social Care,given,2023-06-20,closed,2024-02-01,support_complete,Car wash worker kept in a caravan
        SG-2024-0007,14/01/2024,Kira,Stone,,Under 18,Female,british,"Forced into crime (cannabis, drug dealing, begging, county lines)",uk,Bradford,Children's Social Care,,,open,,,Found at a cannabis farm

        """.replacingOccurrences(of: "\n", with: "\r\n")
    static let referrals = """
        case_reference,kind,started_on,submitted_on,home_office_reference,rg_decision,rg_decision_on,cg_decision,cg_decision_on,outcome,outcome_on
        SG-2023-0142,nrm,2023-06-20,2023-06-21,NRM-2023-554433,positive,2023-06-27,positive,2023-11-30,closed,2024-02-01
        SG-2024-0007,nrm,2024-01-15,2024-01-16,NRM-2024-000017,positive,2024-01-22,,,,

        """.replacingOccurrences(of: "\n", with: "\r\n")
    static let concerns = """
        former_reference,received_on,subject,child_involved,immediate_danger,location,description,status,triage_outcome,case_reference,channel
        C-2023-881,2023-06-12,person,no,no,Car wash on the ring road,Workers sleeping on site and paid nothing,case_opened,open_case,SG-2023-0142,public_named
        C-2024-015,2024-03-02,premises,not sure,no,Flat above the takeaway,Many people coming and going at night,closed,no_further_action,,staff

        """.replacingOccurrences(of: "\n", with: "\r\n")

    static func upload(_ browser: Browser, action: String = "import", cases: String? = RecordsImportTests.cases,
                       referrals: String? = RecordsImportTests.referrals, concerns: String? = RecordsImportTests.concerns) async throws -> TestingHTTPResponse {
        try await browser.get("/cases/import")
        var files: [(field: String, filename: String, contents: Data)] = []
        if let cases { files.append(("cases", "old-cases.csv", Data(cases.utf8))) }
        if let referrals { files.append(("referrals", "old-referrals.csv", Data(referrals.utf8))) }
        if let concerns { files.append(("concerns", "old-concerns.csv", Data(concerns.utf8))) }
        return try await browser.postFiles("/cases/import", fields: [("action", action)], files: files)
    }

    @Test(arguments: TestDatabase.available)
    func oldCasesReferralsDecisionsAndConcernsMoveInDatedSealedAndConsistent(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let before = try await SafeguardingCase.query(on: env.db).count()

            // A check says what would happen and writes nothing.
            let checked = try await Self.upload(lead, action: "check")
            #expect(checked.status == .ok)
            #expect(checked.body.string.contains("2 cases, 2 referrals and 2 concerns passed every check"))
            #expect(try await SafeguardingCase.query(on: env.db).count() == before)

            let moved = try await Self.upload(lead)
            #expect(moved.status == .seeOther, "\(moved.body.string.prefix(2000))")
            let all = try await SafeguardingCase.query(on: env.db).all()
            #expect(all.count == before + 2)
            let adult = try #require(try all.first { try $0.open(with: env.app.lantern.cipher).formerReference == "SG-2023-0142" })
            let child = try #require(try all.first { try $0.open(with: env.app.lantern.cipher).formerReference == "SG-2024-0007" })
            #expect(Day(adult.openedAt).iso == "2023-06-14" && adult.reference.hasPrefix("CASE-23-"))
            #expect(adult.status == .closed && adult.closedReason == .supportComplete && Day(adult.closedAt!).iso == "2024-02-01")
            #expect(adult.nrmConsent == .given && adult.nationality == "Albanian" && adult.types == [.forcedToWork, .wagesTaken])
            #expect(child.age == .under18 && child.nationality == "British" && child.types == [.forcedCrime] && child.isOpen)

            // The referrals went through the lifecycle, each state on its day.
            let adultNRM = try #require(try await HomeOfficeReferral.query(on: env.db).filter(\.$safeguardingCase.$id == adult.id!).first())
            #expect(adultNRM.state == .closed && adultNRM.rgPositive == true && adultNRM.cgPositive == true && adultNRM.cgDecisionOn == "2023-11-30")
            let moves = try await HomeOfficeReferralTransition.query(on: env.db).filter(\.$notification.$id == adultNRM.id!).sort(\.$recordedAt).all()
            #expect(moves.map(\.to) == [.submitted, .awaitingRG, .rgPositive, .recoveryPeriod, .awaitingCG, .cgPositive, .moveOn, .closed])
            let childNRM = try #require(try await HomeOfficeReferral.query(on: env.db).filter(\.$safeguardingCase.$id == child.id!).first())
            #expect(childNRM.state == .rgPositive && childNRM.rgDecisionOn == "2024-01-22")
            #expect(try await Disclosure.query(on: env.db).filter(\.$caseID == adult.id!).count() == 1, "the submission is in the disclosure log")

            // The concern that led to the case is linked both ways; the other is closed with its triage.
            let concerns = try await Concern.query(on: env.db).all().filter { try $0.open(with: env.app.lantern.cipher).formerReference != nil }
            #expect(concerns.count == 2)
            let led = try #require(concerns.first { $0.caseID == adult.id })
            #expect(led.status == .caseOpened && led.channel == .publicNamed && Day(led.receivedAt).iso == "2023-06-12")
            #expect(try await SafeguardingCase.find(adult.id, on: env.db)?.concernID == led.id)
            #expect(concerns.contains { $0.status == .closed && $0.triageOutcome == .noFurtherAction })

            // Sealed as typed records are: no name, account or reference in the clear.
            let raw = try await RawDatabase.allText(env)
            for secret in ["Arben", "Hoxha", "caravan", "SG-2023-0142", "NRM-2023-554433", "cannabis farm", "C-2023-881"] {
                #expect(!raw.contains(secret), "\(secret) is stored in the clear")
            }
            // Audited record by record, and shown on the case with its old reference.
            #expect(try await AuditEntry.query(on: env.db).filter(\.$entityID == adult.id!.uuidString).filter(\.$action == "create").first()?.detail?
                .contains("moved in from old-cases.csv") == true)
            let page = try await lead.get("/cases/\(adult.id!.uuidString)").body.string
            #expect(page.contains("Reference in the former system") && page.contains("SG-2023-0142"))

            // The same records are never moved in twice.
            let again = try await Self.upload(lead)
            #expect(again.status == .unprocessableEntity)
            #expect(again.body.string.contains("old-cases.csv, line 2: former_reference SG-2023-0142 was moved in before"))
            #expect(again.body.string.contains("old-concerns.csv, line 3: former_reference C-2024-015 was moved in before"))
            #expect(try await SafeguardingCase.query(on: env.db).count() == before + 2)

            // A later file of referrals finds a case moved in before by its former reference.
            let later = "case_reference,kind,submitted_on\r\nsg-2024-0007,duty_to_notify,2024-02-01\r\n"
            let dtn = try await Self.upload(lead, cases: nil, referrals: later, concerns: nil)
            #expect(dtn.body.string.contains("old-referrals.csv, line 2: children (and anyone whose age is not known) are referred to the NRM"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyBadRowIsNamedByFileAndLineAndNothingMovesIn(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let counts = (try await SafeguardingCase.query(on: env.db).count(), try await Concern.query(on: env.db).count(),
                          try await HomeOfficeReferral.query(on: env.db).count())
            let cases = Self.cases + """
                SG-2023-0142,2023-07-01,A,B,,adult,male,Polish,forced_to_work,uk,Hull,Adult Social Care,,,open,,,
                SG-9,2031-01-01,,B,,teen,male,Polish,slavery,uk,Hull,Night Team,,,closed,,,

                """.replacingOccurrences(of: "\n", with: "\r\n")
            let referrals = Self.referrals + """
                SG-2024-0007,nrm,2024-01-20,2024-01-21,NRM-X,,,,,,
                SG-404,dtn,2023-01-01,,,,,,,,

                """.replacingOccurrences(of: "\n", with: "\r\n")
            let concerns = Self.concerns + "C-9,yesterday,person,no,maybe,,,triaged,,,\r\n"
            let refused = try await Self.upload(lead, cases: cases, referrals: referrals, concerns: concerns)
            #expect(refused.status == .unprocessableEntity)
            let body = refused.body.string
            #expect(body.contains("Nothing was moved in"))
            #expect(body.contains("old-cases.csv, line 4: former_reference SG-2023-0142 is also on line 2"))
            for problem in ["old-cases.csv, line 5: opened_on 2031-01-01 is in the future", "age &#39;teen&#39; is not one of under_18, adult, not_sure",
                            "exploitation_types &#39;slavery&#39; is not one of", "team &#39;Night Team&#39; is not one of",
                            "first_name: Enter the first name", "closed_on is empty", "closed_reason is empty"] {
                #expect(body.contains(problem), "\(problem)")
            }
            #expect(body.contains("old-referrals.csv, line 4: this person already has an NRM referral"))
            #expect(body.contains("old-referrals.csv, line 5: case_reference SG-404 is neither in the cases file nor a case in Lantern"))
            #expect(body.contains("old-concerns.csv, line 4: received_on &#39;yesterday&#39; is not a date"))
            #expect(body.contains("immediate_danger &#39;maybe&#39; is not yes or no"))
            #expect(body.contains("triage_outcome is empty"))
            #expect(try await SafeguardingCase.query(on: env.db).count() == counts.0)
            #expect(try await Concern.query(on: env.db).count() == counts.1)
            #expect(try await HomeOfficeReferral.query(on: env.db).count() == counts.2)

            // A CG decision inside the recovery period is the lifecycle's refusal, by line.
            let early = Self.referrals.replacingOccurrences(of: "2023-11-30", with: "2023-07-10")
            let lifecycle = try await Self.upload(lead, referrals: early)
            #expect(lifecycle.body.string.contains("old-referrals.csv, line 2: The recovery period lasts at least 30 days"))

            // A header without a needed column, and no file at all.
            let header = try await Self.upload(lead, cases: "former_reference,opened_on\r\nX,2024-01-01\r\n", referrals: nil, concerns: nil)
            #expect(header.body.string.contains("old-cases.csv, line 1: the header has no &#39;first_name&#39;"))
            try await lead.get("/cases/import")
            let none = try await lead.postFiles("/cases/import", fields: [("action", "import")], files: [])
            #expect(none.status == .unprocessableEntity && none.body.string.contains("Choose at least one file"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyThoseWhoOverseeEveryCaseMayMoveRecordsIn(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            #expect(try await caseworker.get("/cases/import").status == .forbidden)
            let before = try await SafeguardingCase.query(on: env.db).count()
            let posted = try await caseworker.postFiles("/cases/import", fields: [("action", "import")], files: [("cases", "c.csv", Data(Self.cases.utf8))])
            #expect(posted.status == .forbidden)
            #expect(try await SafeguardingCase.query(on: env.db).count() == before)
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let template = try await lead.get("/cases/import/referrals/template.csv")
            #expect(template.status == .ok && template.body.string.hasPrefix("case_reference,kind,started_on"))
        }
    }
}
