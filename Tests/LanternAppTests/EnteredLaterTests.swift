import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Records that began before Lantern")
struct EnteredLaterTests {
    @Test func aPastDayNeedsAReasonAndTheFutureIsRefused() {
        let today = Day(year: 2026, month: 11, day: 18)!
        func check(_ text: String, _ reason: String = "") -> EnteredLater.Checked {
            EnteredLater.check(text, reason: reason, today: today, what: "opened", field: "on", reasonField: "why")
        }
        #expect(check("") == .init(day: nil, errors: [:]))
        #expect(check("2026-11-18").day == nil, "today is not entered later")
        #expect(check("2025-06-03").errors["why"] != nil)
        #expect(check("2025-06-03", "moved from the old case system") == .init(day: Day(year: 2025, month: 6, day: 3), errors: [:]))
        #expect(check("2026-11-19", "x").errors["on"] == "The day it was opened cannot be in the future")
        #expect(check("1999-12-31", "x").errors["on"] != nil)
        #expect(check("31/02/2025", "x").errors["on"] != nil)
        #expect(check("", "a reason but no day").errors["on"] != nil)
    }

    @Test(arguments: TestDatabase.available)
    func aCaseFromLastYearIsDatedThenAuditedAndCountedInItsYear(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            try await browser.get("/cases/new")
            let team = try #require(try await Team.query(on: env.db).filter(\.$name == "Children's Social Care").first())
            let person = CasesTests.person("Ana", "Petrova", age: "adult") + [("team", team.id!.uuidString)]
            let noReason = try await browser.postPairs("/cases/new", person + [("opened_on", "2025-06-03")])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("Say why it is entered later"))
            #expect(noReason.body.string.contains("value=\"2025-06-03\""), "what was typed stays")
            let future = try await browser.postPairs("/cases/new", person + [("opened_on", "2027-01-01"), ("opened_on_reason", "x")])
            #expect(future.status == .unprocessableEntity && future.body.string.contains("cannot be in the future"))

            let c = try await CasesTests.openCase(browser, env, CasesTests.person("Ana", "Petrova", age: "adult")
                + [("opened_on", "2025-06-03"), ("opened_on_reason", "Moved from the old case system")])
            #expect(Day(c.openedAt) == Day(year: 2025, month: 6, day: 3))
            #expect(c.reference.hasPrefix("CASE-25-"), "numbered in the year it began")
            let entry = try #require(try await AuditEntry.query(on: env.db).filter(\.$entityType == AuditEntity.case.rawValue)
                .filter(\.$entityID == c.id!.uuidString).filter(\.$action == "create").first())
            #expect(entry.detail?.hasPrefix("opened on 2025-06-03, entered later") == true)
            #expect(!(try await RawDatabase.allText(env)).contains("Moved from the old case system"), "the reason is sealed")

            // It counts in the year it began.
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let year = try await lead.get("/reports?period=year&year=2026&threshold=1").body.string
            #expect(year.contains("Financial year 2025/26"))
            #expect(try await SafeguardingCase.query(on: env.db).filter(\.$openedAt < ReportPeriod.instant(Day(year: 2026, month: 4, day: 1)!)).count() >= 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aConcernReceivedLastYearIsDatedThen(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            try await browser.get("/concerns/new")
            let fields = ["immediate_danger": "no", "subject": "premises", "child_involved": "no", "location": "Car wash on Mill Road",
                          "description": "Workers sleep on site and are driven to work.", "received_on": "2025-09-10"]
            let refused = try await browser.postFile("/concerns/new", fields: fields, fileField: "files[]", filename: "", contents: Data())
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Say why it is entered later"))
            #expect(refused.body.string.contains("value=\"2025-09-10\""))
            var made: TestingHTTPResponse?
            try await browser.get("/concerns/new")
            let concern = try await env.created(Concern.self) {
                made = try await browser.postFile("/concerns/new", fields: fields.merging(["received_on_reason": "Moved from the old referral log"]) { $1 },
                                                  fileField: "files[]", filename: "", contents: Data())
            }
            #expect(made?.status == .seeOther)
            #expect(Day(concern.receivedAt) == Day(year: 2025, month: 9, day: 10))
            #expect(concern.reference.contains("-25-"))
            #expect(!(try await RawDatabase.allText(env)).contains("Moved from the old referral log"), "the reason is sealed")
        }
    }
}

@Suite("A case's area")
struct CaseAreaTests {
    @Test(arguments: TestDatabase.available)
    func aCaseIsCountedInTheAreaRecordedOnItAndOnlyListedAreasAreTaken(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            let form = try await browser.get("/cases/new").body.string
            #expect(form.contains("<option value=\"Riverside\">Riverside</option>"), "the organisation's list of areas")
            let team = try #require(try await Team.query(on: env.db).filter(\.$name == "Children's Social Care").first())
            let refused = try await browser.postPairs("/cases/new", CasesTests.person("Ana", "Petrova", age: "adult") + [("team", team.id!.uuidString), ("area", "Atlantis")])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Choose an area from the list"))
            let c = try await CasesTests.openCase(browser, env, CasesTests.person("Ana", "Petrova", age: "adult") + [("area", "Riverside")])
            #expect(c.area == "Riverside")

            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let page = try await lead.get("/partnership?period=custom&from=2026-11-18&to=2026-11-18&threshold=1").body.string
            let riverside = PartnershipTests.cell(PartnershipTests.section(page, id: "table-area"), row: "Riverside")
            #expect(riverside.first?.hasPrefix("1") == true, "\(riverside)")
            #expect(try await lead.get("/cases/\(c.id!.uuidString)").body.string.contains("Riverside"))
        }
    }
}
