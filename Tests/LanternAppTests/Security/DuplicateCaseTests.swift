import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// The duplicate-case check tells a caseworker only that a match may exist; the reference and
/// team of another team's case go to the safeguarding lead alone (issue 17, item 8).
@Suite("Duplicate cases")
struct DuplicateCaseTests {
    static func open(_ browser: Browser, _ env: TestEnvironment, team: String) async throws -> (SafeguardingCase, String) {
        let teamID = try #require(try await Team.query(on: env.db).filter(\.$name == team).first()?.id)
        let person = CasesTests.person("Ana", "Doe", age: "adult", extra: [("date_of_birth", "1990-03-14"), ("team", teamID.uuidString)])
        let response = try await browser.postPairs("/cases/new", person)
        #expect(response.status == .seeOther, "\(response.body.string.prefix(2000))")
        let c = try await env.record(SafeguardingCase.self, at: response.location)
        return (c, try await browser.get(response.location!).body.string)
    }

    @Test(arguments: TestDatabase.available)
    func aCaseworkerIsToldAMatchMayExistButNotWhichCase(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let (adults, _) = try await Self.open(lead, env, team: "Adult Social Care")

            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            let (children, page) = try await Self.open(caseworker, env, team: "Children's Social Care")
            #expect(page.contains("may already exist"))
            #expect(!page.contains(adults.reference), "the other team's case reference leaked to a caseworker")
            #expect(!page.contains("Adult Social Care)"))

            let leadView = try await lead.get("/cases/\(children.id!.uuidString)").body.string
            #expect(leadView.contains("Possible duplicate: \(adults.reference) (Adult Social Care)"))
        }
    }
}
