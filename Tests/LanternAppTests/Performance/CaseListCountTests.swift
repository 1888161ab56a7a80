import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// The case list counts only as far as it needs: a thousand rows past the page asked for.
@Suite("The case list's count")
struct CaseListCountTests {
    @Test
    func aCountThatStopsSaysMoreThanAndKeepsTheNextPage() {
        let open = Pagination(page: 1, total: 1_000, path: "/cases", query: [("show", "open")], moreThan: true)
        #expect(open.pages == 20 && open.next == "/cases?show=open&page=2" && open.previous == nil)
        var html = HTML()
        open.write(into: &html)
        #expect(String(buffer: html.buffer).contains("<span>Page 1 of more than 20</span>"))
        // Counted to the end: as before.
        let counted = Pagination(page: 3, total: 120, path: "/cases", query: [])
        #expect(counted.pages == 3 && counted.next == nil && !counted.moreThan)
    }

    @Test(arguments: TestDatabase.available)
    func aLongListIsCountedToAThousandPastThePageAsked(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            // A quarter of generated cases are open: about 1,100, more than one count reaches.
            _ = try await CapacityData.generate(on: env.app, cases: 4_400, concerns: 0)
            let open = try await SafeguardingCase.query(on: env.db).filter(\.$status == .open).count()
            #expect(open > CasesController.countedAhead)
            let browser = try env.browser()
            try await browser.signIn(as: .safeguardingLead)
            let first = try await browser.get("/cases").body.string
            #expect(first.contains("More than 1000 cases"))
            #expect(first.contains("Page 1 of more than 20"))
            #expect(first.contains("href=\"/cases?show=open&amp;page=2\" rel=\"next\""))
            // Further in, the count reaches the end: the exact total, and the last page.
            let lastPage = (open + Pagination.perPage - 1) / Pagination.perPage
            let deep = try await browser.get("/cases?page=\(lastPage)").body.string
            #expect(deep.contains("<caption class=\"table__caption\">\(open) cases"))
            #expect(deep.contains("Page \(lastPage) of \(lastPage)</span>"))
            #expect(!deep.contains("rel=\"next\""))
            // A page far past the end, or a number too large to multiply, shows the last page.
            for page in ["999999", "9223372036854775807"] {
                let past = try await browser.get("/cases?page=\(page)")
                #expect(past.status == .ok)
                #expect(past.body.string.contains("Page \(lastPage) of \(lastPage)</span>"))
            }
        }
    }

    /// The home page counts a caseworker's open and overdue cases in the scope's parts (the
    /// team's, and their own outside the team); the figures must be the scope's whole count.
    @Test(arguments: TestDatabase.available)
    func theHomePagesCaseFiguresAreTheWholeScope(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            _ = try await CapacityData.generate(on: env.app, cases: 400, concerns: 0)
            let caseworker = try #require(try await User.query(on: env.db).filter(\.$role == .caseworker).first())
            let otherTeam = try #require(try await Team.query(on: env.db).filter(\.$id != caseworker.$team.id!).first())
            // Some of their own open cases outside their team (one in no team), some overdue.
            let open = try await SafeguardingCase.query(on: env.db).filter(\.$status == .open).sort(\.$reference).limit(6).all()
            let yesterday = Day(env.clock.now()).adding(days: -1).iso
            for (i, c) in open.enumerated() {
                c.$owner.id = caseworker.id
                c.$team.id = i == 0 ? nil : otherTeam.id
                if i % 2 == 0 { c.nextDeadline = yesterday }
                try await c.save(on: env.db)
            }
            let scope = NeedToKnow.CaseScope(caseworker)
            let openInScope = try await scope.apply(SafeguardingCase.query(on: env.db)).filter(\.$status == .open).count()
            let overdueInScope = try await scope.apply(SafeguardingCase.query(on: env.db)).filter(\.$status == .open)
                .filter(\.$nextDeadline < Day(env.clock.now()).iso).count()
            let outside = try await SafeguardingCase.query(on: env.db).filter(\.$owner.$id == caseworker.id!).filter(\.$status == .open).all()
                .filter { $0.$team.id != caseworker.$team.id }.count
            #expect(outside >= 6)
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            let home = try await browser.get("/home").body.string
            #expect(home.contains("<span class=\"figure__value\">\(openInScope)</span> <span class=\"figure__label\">Open cases</span>"))
            #expect(home.contains("<span class=\"figure__value\">\(overdueInScope)</span> <span class=\"figure__label\">Cases with an overdue task or decision to chase</span>"))
        }
    }
}
