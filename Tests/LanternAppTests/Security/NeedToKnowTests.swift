import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// One need-to-know rule for record pages, lists and counts (issue 18, item 3).
@Suite("Need to know")
struct NeedToKnowTests {
    @Test(arguments: TestDatabase.available)
    func aConcernsHandlerFindsItInTheirListAfterMovingTeamAndOthersStillDoNot(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let reporter = try env.browser()
            let concern = try await env.created(Concern.self) { _ = try await ConcernsTests.reportAnonymously(reporter) }
            #expect(concern.routeList == [.childrensSafeguarding])
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            let path = "/concerns/\(concern.id!.uuidString)"
            try await caseworker.get(path)
            #expect(try await caseworker.post(path + "/acknowledge", [:]).status == .seeOther)

            // The caseworker moves to adult social care; they still handle the concern.
            let user = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .caseworker)).first())
            user.$team.id = try #require(try await Team.query(on: env.db).filter(\.$name == "Adult Social Care").first()?.id)
            try await user.save(on: env.db)
            #expect(try await caseworker.get(path).status == .ok)
            #expect(try await caseworker.get("/concerns?status=all").body.string.contains(concern.reference),
                    "a concern the person may open is missing from their list")

            // Someone else in adult social care neither opens nor lists it.
            let other = try env.browser()
            try await other.signIn(as: .procurementOfficer)
            #expect(!(try await other.get("/concerns?status=all").body.string.contains(concern.reference)))
            #expect(try await other.get(path).status == .forbidden)
        }
    }

    @Test func theScopeIsTheSameRuleForOneRecordAndForAQuery() {
        let owner = UUID(), team = UUID(), elsewhere = UUID()
        let scope = NeedToKnow.CaseScope.ownedOrTeam(owner: owner, team: team)
        func record(owner o: UUID?, team t: UUID?) -> SafeguardingCase {
            let c = SafeguardingCase()
            c.$owner.id = o
            c.$team.id = t
            return c
        }
        #expect(scope.allows(record(owner: owner, team: elsewhere)))
        #expect(scope.allows(record(owner: UUID(), team: team)))
        #expect(!scope.allows(record(owner: UUID(), team: elsewhere)))
        #expect(!scope.allows(record(owner: nil, team: nil)))
        #expect(!NeedToKnow.CaseScope.none.allows(record(owner: owner, team: team)))
        #expect(!NeedToKnow.CaseScope.ownedOrTeam(owner: owner, team: nil).allows(record(owner: UUID(), team: nil)))
    }
}
