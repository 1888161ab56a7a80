import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Partnership statistics")
struct ReportsTests {
    @Test(arguments: TestDatabase.available)
    func theYearReportIsSuppressedAndHoldsNoIdentifyingField(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            // Six more cases this year for the caseworker's team.
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            for i in 0..<6 {
                _ = try await CasesTests.openCase(browser, env, CasesTests.person("Zofia\(i)", "Kaminska\(i)", age: "adult"))
            }
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            let year = FinancialYear.containing(env.clock.now()).endYear
            let page = try await analyst.get("/reports?year=\(year)").body.string
            #expect(page.contains("Labour exploitation"))
            #expect(page.contains("fewer than 5"))
            #expect(page.contains("cases opened"))
            let csv = try await analyst.get("/reports/year.csv?year=\(year)")
            #expect(csv.headers.first(name: .contentDisposition)?.contains("partnership-statistics-\(year).csv") == true)
            #expect(csv.body.string.hasPrefix("table,category,count,percent_of_known"))
            // No name, reference or other identifying field reaches the report or its export.
            for text in [page, csv.body.string] {
                for secret in ["Zofia", "Kaminska", "Jayden", "Ioana", "CASE-", "MS-", "07700", "Leeds"] {
                    #expect(!text.contains(secret), "\(secret) in the report")
                }
            }
            // The analyst sees reports and nothing else.
            #expect(try await analyst.get("/cases").status == .forbidden)
            #expect(try await analyst.get("/concerns").status == .forbidden)
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            #expect(try await caseworker.get("/reports").status == .forbidden)
        }
    }
}
