import Foundation
import Testing
import VaporTesting
@testable import LanternApp

/// A form answered with its errors says so in its title, and public pages carry none of the
/// staff frame's warnings (issue 20, items 2 and 3).
@Suite("Error titles and the public frame")
struct ErrorPagesAndPublicFrameTests {
    @Test(arguments: TestDatabase.available)
    func aFormAnsweredWithErrorsHasAnErrorTitleAndFocusesItsSummary(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let officer = try env.browser()
            try await officer.signIn(as: .procurementOfficer)
            try await officer.get("/suppliers/new")
            let refused = try await officer.post("/suppliers", ["name": ""])
            #expect(refused.status == .unprocessableEntity)
            let page = refused.body.string
            #expect(page.contains("<title>Error: "))
            #expect(page.contains("class=\"error-summary\"") && page.contains("src=\"/js/error-summary.js\""))
            // A page without errors has neither.
            let fine = try await officer.get("/suppliers/new").body.string
            #expect(!fine.contains("<title>Error: ") && !fine.contains("error-summary.js"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func publicPagesDoNotShowTheStaffWarningThatEveryViewIsRecorded(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let visitor = try env.browser()
            for path in ["/report", "/report/follow-up"] {
                let page = try await visitor.get(path).body.string
                #expect(!page.contains("Every view and change is recorded"), "\\(path)")
                #expect(page.contains("Modern Slavery &amp; Exploitation Helpline"), "\\(path)")
            }
            let staff = try env.browser()
            try await staff.signIn(as: .caseworker)
            #expect(try await staff.get("/home").body.string.contains("Every view and change is recorded"))
        }
    }
}
