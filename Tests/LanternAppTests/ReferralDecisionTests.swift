import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// A decision is recorded with one form: the states that follow on their own on the way to it
/// are recorded too, each on its day, and the page then asks only for what is really next.
@Suite(.serialized)
struct ReferralDecisionTests {
    @Test func routesPassOnlyThroughStatesThatFollowOnTheirOwn() {
        #expect(NRMLifecycle.route(from: .submitted, to: .rgPositive, kind: .nrm) == [.awaitingRG, .rgPositive])
        #expect(NRMLifecycle.route(from: .rgPositive, to: .cgPositive, kind: .nrm) == [.recoveryPeriod, .awaitingCG, .cgPositive])
        #expect(NRMLifecycle.route(from: .awaitingRG, to: .rgNegative, kind: .nrm) == [.rgNegative])
        #expect(NRMLifecycle.route(from: .draft, to: .rgPositive, kind: .nrm) == nil, "submission is never assumed")
        #expect(NRMLifecycle.route(from: .submitted, to: .closed, kind: .dutyToNotify) == [.closed])
        #expect(NRMLifecycle.reachable(from: .submitted, kind: .nrm).prefix(2) == [.awaitingRG, .withdrawn])
        #expect(NRMLifecycle.reachable(from: .submitted, kind: .nrm).contains(.rgPositive))
    }

    @Test(arguments: TestDatabase.available)
    func oneSubmitRecordsAReasonableGroundsDecision(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            let c = try await CasesTests.openCase(browser, env, CasesTests.person("Tomasz", "Nowak", age: "under_18", extra: [("date_of_birth", "2011-05-01")]))
            let path = "/cases/\(c.id!.uuidString)"
            try await browser.post(path + "/notifications", ["kind": "nrm"])
            let referral = try #require(try await HomeOfficeReferral.query(on: env.db).filter(\.$safeguardingCase.$id == c.id!).first())
            let move = path + "/notifications/\(referral.id!.uuidString)/move"
            let submitted = Day(env.clock.now())
            #expect(try await browser.post(move, ["to": "submitted", "on": submitted.iso, "reference": "NRM-2026-7"]).status == .seeOther)
            env.clock.advance(by: 4 * 86_400)
            try await browser.signIn(as: .caseworker)
            #expect(try await browser.get(path).body.string.contains("<option value=\"rg_positive\">Positive Reasonable Grounds</option>"))
            let rgDay = Day(env.clock.now())
            let rg = try await browser.post(move, ["to": "rg_positive", "on": rgDay.iso, "note": "Positive RG by letter"])
            #expect(rg.status == .seeOther, "\(rg.body.string.prefix(800))")
            let stored = try #require(try await HomeOfficeReferral.find(referral.id, on: env.db))
            #expect(stored.state == .rgPositive && stored.rgPositive == true && stored.rgDecisionOn == rgDay.iso)
            let moves = try await HomeOfficeReferralTransition.query(on: env.db).filter(\.$notification.$id == referral.id!).sort(\.$recordedAt).all()
            #expect(moves.map(\.to) == [.submitted, .awaitingRG, .rgPositive])
            #expect(moves[1].onDay == submitted.iso, "awaiting RG from the day it was submitted")
        }
    }
}
