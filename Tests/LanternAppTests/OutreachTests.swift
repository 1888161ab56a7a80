import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Training beyond staff")
struct OutreachTests {
    @Test(arguments: TestDatabase.available)
    func sessionsAreRecordedCheckedAndReportedInTheStatement(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let manager = try env.browser()
            try await manager.signIn(as: .trainingManager)
            try await manager.get("/training/outreach")
            var form = ["title": "Landlords' forum", "held_on": Day(env.clock.now()).adding(days: 3).iso, "audience": "professionals", "sector": "housing",
                        "attendees": "Letting agents: 11\nbad line", "feedback_responses": "30", "feedback_useful": "40"]
            let refused = try await manager.post("/training/outreach", form)
            #expect(refused.status == .unprocessableEntity)
            let page = refused.body.string
            #expect(page.contains("Record a session once it has been held"))
            #expect(page.contains("Line 2 of the attendees"))
            #expect(page.contains("More found it useful (40) than gave feedback (30)"))
            #expect(page.contains("value=\"Landlords&#39; forum\"") || page.contains("value=\"Landlords' forum\""), "what was typed stays")
            form["held_on"] = Day(env.clock.now()).adding(days: -2).iso
            form["attendees"] = "Letting agents: 11\nHousing association officers: 8"
            form["feedback_responses"] = "12"; form["feedback_useful"] = "10"
            let sent = try await manager.post("/training/outreach", form)
            #expect(sent.status == .seeOther)
            let shown = try await manager.get(sent.location!).body.string
            #expect(shown.contains("Who came: 19") && shown.contains("10 of 12 who gave feedback found it useful"))

            // Staff who see training read the sessions; only the training manager records them.
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            #expect(try await caseworker.get("/training/outreach").body.string.contains("Landlords&#39; forum"))
            try await caseworker.get("/training/outreach")
            #expect(try await caseworker.post("/training/outreach", form).status == .forbidden)

            // The annual statement reports them beside staff training: the demo's two and this one.
            let officer = try env.browser()
            try await officer.signIn(as: .procurementOfficer)
            let year = FinancialYear.containing(env.clock.now()).endYear
            try await officer.post("/annual-statement", ["year": String(year)])
            let draft = try await officer.get("/annual-statement/\(year)").body.string
            #expect(draft.contains("we ran 3 modern slavery awareness sessions for local professionals and community groups, reaching 73 people (48 professionals, 25 from community groups)"))
        }
    }
}
