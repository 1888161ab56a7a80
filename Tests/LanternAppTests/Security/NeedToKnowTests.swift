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

    @Test(arguments: TestDatabase.available)
    func casesAreFoundByReferenceOrNameOnlyWithinTheSearchersNeedToKnow(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let adults = try #require(try await Team.query(on: env.db).filter(\.$name == "Adult Social Care").first())
            let made = try await lead.postPairs("/cases/new", CasesTests.person("Thắng", "Nguyễn", age: "adult", extra: [("aliases", "Tony Win")])
                                                + [("team", adults.id!.uuidString)])
            let c = try await env.record(SafeguardingCase.self, at: made.location)
            #expect(!(try await RawDatabase.allText(env)).contains("Nguy"), "names stay sealed; the index holds hashes")
            for query in ["nguyen", "NGUYỄN", "tony", "Thang Nguyen", c.reference.lowercased()] {
                let found = try await lead.get("/cases?q=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!).body.string
                #expect(found.contains(c.reference), "\(query) did not find the case")
            }
            #expect(!(try await lead.get("/cases?q=Popescu").body.string.contains(c.reference)))
            // The children's caseworker may not open it, so a search by name or reference finds nothing.
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            for query in ["nguyen", c.reference] {
                let page = try await caseworker.get("/cases?q=\(query)&show=all").body.string
                #expect(!page.contains(c.id!.uuidString) && page.contains("No cases to show"))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aConcernSentToAnotherTeamLeavesTheOldTeamsNeedToKnow(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let reporter = try env.browser()
            let concern = try await env.created(Concern.self) { _ = try await ConcernsTests.reportAnonymously(reporter) }
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            let path = "/concerns/\(concern.id!.uuidString)"
            #expect(try await caseworker.get(path).status == .ok)
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let page = try await lead.get(path).body.string
            #expect(page.contains("Send it to another team") && page.contains("value=\"adult_safeguarding\""))
            let noReason = try await lead.post(path + "/route", ["route": "adult_safeguarding"])
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("Say why the concern is moving"))
            #expect(noReason.body.string.contains("value=\"adult_safeguarding\" checked"), "the choice is kept")
            let moved = try await lead.post(path + "/route", ["route": "adult_safeguarding", "reason": "The person is 19, not 15"])
            #expect(moved.status == .seeOther)
            let stored = try #require(try await Concern.find(concern.id, on: env.db))
            #expect(stored.routeList == [.adultSafeguarding])
            #expect(try await stored.$team.get(on: env.db)?.name == "Adult Social Care")
            #expect(try await caseworker.get(path).status == .forbidden, "the children's team no longer sees it")
            let note = try await lead.get(path).body.string.replacingOccurrences(of: "&#39;", with: "'")
            #expect(note.contains("Moved from Children's safeguarding (MASH) to Adult social care: The person is 19, not 15"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRecordOutsideSomeonesNeedToKnowIsInNoListCountOrExportTheyCanOpen(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            // A case held by Adult Social Care, and an adult's concern routed there: outside the
            // children's caseworker's need to know, and everyone's but the safeguarding leads'.
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let adults = try #require(try await Team.query(on: env.db).filter(\.$name == "Adult Social Care").first())
            let made = try await lead.postPairs("/cases/new", CasesTests.person("Zebedee", "Quarrington", age: "adult") + [("team", adults.id!.uuidString)])
            let c = try await env.record(SafeguardingCase.self, at: made.location)
            let reporter = try env.browser()
            let concern = try await env.created(Concern.self) {
                _ = try await ConcernsTests.reportAnonymously(reporter, ConcernsTests.publicReport.filter { !["who", "age", "child_involved"].contains($0.0) }
                    + [("who", "Ottilie Brackenbury, a cleaner"), ("age", "adult"), ("child_involved", "no")])
            }
            #expect(!concern.routeList.contains(.childrensSafeguarding))
            let secrets = [c.reference, "Quarrington", concern.reference, "Brackenbury"]
            // Every page and export that takes no record id, and the lists' widest filters.
            var paths = env.app.routes.all.filter { $0.method == .GET && !$0.path.contains { if case .parameter = $0 { true } else { false } } }
                .map { "/" + $0.path.map(\.description).joined(separator: "/") }
            paths += ["/cases?show=all", "/cases?show=closed", "/concerns?status=all", "/concerns?status=to_acknowledge", "/home"]
            var checked = 0
            for role in Role.allCases where !PermissionMatrix.allows(role, .overseeAllCases) {
                let browser = try env.browser()
                try await browser.signIn(as: role)
                for path in paths.sorted() where !path.hasPrefix("/sign-out") {
                    let response = try await browser.get(path)
                    guard response.status == .ok else { continue }
                    checked += 1
                    let body = response.body.string
                    for secret in secrets { #expect(!body.contains(secret), "\(role) sees \(secret) on \(path)") }
                }
            }
            #expect(checked > 50, "too few pages walked: \(checked)")
            // The lead, who sees every case, does find them: the walk would notice a leak.
            #expect(try await lead.get("/cases?show=all").body.string.contains(c.reference))
            #expect(try await lead.get("/concerns?status=all").body.string.contains(concern.reference))
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
