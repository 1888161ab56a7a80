import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

/// The demo is dated by Lantern's clock, so it must make sense whatever day it starts on:
/// nothing recorded after the moment it was created, references dated by their own day,
/// ages and deadlines counted in UK civil days, and every page answering.
@Suite("The demo on awkward days")
struct DemoDatesTests {
    /// UTC instants, each awkward in the UK for its own reason.
    static let days: [String] = [
        "2026-12-31T23:30:00Z",  // the last day of a year
        "2027-01-31T12:00:00Z",  // the last day of a month
        "2027-03-31T23:30:00Z",  // 00:30 BST on 1 April: the first hour of a financial year
        "2028-02-29T09:00:00Z",  // 29 February
        "2027-03-28T00:30:00Z",  // the clocks go forward at 01:00 UTC that morning
        "2027-03-28T01:30:00Z",  // 02:30 BST, just after they went forward
        "2027-10-31T00:30:00Z",  // 01:30 BST, the first pass of the hour repeated when the clocks go back
        "2027-10-31T01:30:00Z",  // 01:30 GMT, the second pass
    ]

    @Test(arguments: days, TestDatabase.available)
    func theDemoMakesSenseWhicheverDayItStarts(_ instant: String, _ database: TestDatabase) async throws {
        let start = try #require(ISO8601DateFormatter().date(from: instant))
        try await withLantern(database, startingAt: start) { env in
            let now = env.clock.now(), today = Day(now)

            // Nothing was recorded later than the moment the demo was made.
            for (table, column, time) in try await Self.recordedTimes(env) {
                #expect(time <= now, "\(table).\(column) is \(time), after \(now)")
            }
            // References carry the year of their own day; deadlines follow what they count from.
            let concerns = try await Concern.query(on: env.db).all()
            #expect(concerns.count == 3)
            for c in concerns {
                let received = Day(c.receivedAt)
                #expect(c.reference.hasPrefix("MS-\(received.year % 100)-"), "\(c.reference) received \(received)")
                #expect(c.acknowledgeByDay == ConcernRules.acknowledgeBy(received: received))
            }
            let cases = try await SafeguardingCase.query(on: env.db).sort(\.$openedAt).all()
            #expect(cases.count == 2)
            for c in cases {
                #expect(c.reference.hasPrefix("CASE-\(Day(c.openedAt).year % 100)-"), "\(c.reference) opened \(Day(c.openedAt))")
            }
            for n in try await HomeOfficeReferral.query(on: env.db).all() {
                let started = try #require(Day(parsing: n.startedOn)), submitted = try #require(n.submittedOn.flatMap(Day.init(parsing:)))
                #expect(started <= submitted && submitted <= today)
            }
            for task in try await CaseTask.query(on: env.db).all() {
                #expect(try #require(Day(parsing: task.dueOn)) > today)
            }

            // The child is 15 on the day, and the referral's dates are the UK days counted back.
            let child = try #require(cases.first { $0.age == .under18 })
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let casePage = try await lead.get("/cases/\(child.id!.uuidString)")
            #expect(casePage.status == .ok)
            #expect(casePage.body.string.contains("(age 15)"))
            #expect(casePage.body.string.contains(today.adding(days: -8).long), "the NRM submission day, 8 UK days before \(today)")
            for c in concerns {
                #expect(try await lead.get("/concerns/\(c.id!.uuidString)").status == .ok)
            }

            // Every page each role reaches from its home page answers.
            for role in Role.allCases {
                let browser = try env.browser()
                try await browser.signIn(as: role)
                let home = try await browser.get("/home")
                #expect(home.status == .ok, "\(role) home")
                for link in Self.links(in: home.body.string) {
                    let status = try await browser.get(link).status
                    #expect(status.code < 500 && status != .notFound, "\(role) \(link): \(status)")
                }
            }
        }
    }

    /// Every `*_at` column of every table, read as a time: the moments things were recorded.
    /// Fluent's own log of when each migration ran (`_fluent_migrations`) is left out: it is the
    /// framework's bookkeeping, dated by the machine's clock, and nothing in Lantern reads or shows it.
    static func recordedTimes(_ env: TestEnvironment) async throws -> [(String, String, Date)] {
        var found: [(String, String, Date)] = []
        for table in try await RawDatabase.tables(env) where !table.hasPrefix("_fluent") {
            for row in try await env.sql.raw("SELECT * FROM \(ident: table)").all() {
                for column in row.allColumns.sorted() where column.hasSuffix("_at") {
                    if let time = try? row.decode(column: column, as: Date?.self) { found.append((table, column, time)) }
                }
            }
        }
        #expect(found.count > 20, "the recorded times were not read")
        return found
    }

    /// The site's own links in a page, once each, in page order; signing out is a form, not a link.
    static func links(in html: String) -> [String] {
        var seen: [String] = []
        var rest = html[...]
        while let range = rest.range(of: "href=\"/") {
            let tail = rest[range.upperBound...]
            guard let end = tail.firstIndex(of: "\"") else { break }
            let link = "/" + tail[..<end].replacingOccurrences(of: "&amp;", with: "&")
            if !link.hasPrefix("/css/"), !link.hasPrefix("/js/"), !link.contains("#"), !seen.contains(link) { seen.append(link) }
            rest = tail[end...]
        }
        return seen
    }
}
