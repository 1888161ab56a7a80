import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Partnership statistics")
struct ReportsTests {
    @Test func aChartWithTooFewFiguresToDrawSaysSoInsteadOfAnEmptyFrame() {
        let suppressed = [Charts.Bar(label: "Labour", value: nil, display: "fewer than 5"),
                          Charts.Bar(label: "Sexual", value: nil, display: "fewer than 5")]
        let empty = Charts.bars(id: "type", title: "Cases by exploitation type", bars: suppressed)
        #expect(empty.contains("Too few to chart: cases by exploitation type are in the table below."))
        #expect(!empty.contains("<svg"))
        let one = Charts.bars(id: "type", title: "Cases by exploitation type", bars: suppressed + [Charts.Bar(label: "Criminal", value: 12, display: "12")])
        #expect(one.contains("Too few to chart"))
        let drawn = Charts.bars(id: "type", title: "Cases by exploitation type",
                                bars: [Charts.Bar(label: "Criminal", value: 12, display: "12"), Charts.Bar(label: "Labour", value: 7, display: "7")])
        #expect(drawn.hasPrefix("<svg") && drawn.contains("class=\"chart__bar\""))
    }

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
            #expect(page.contains("<svg class=\"chart\" role=\"img\""))
            #expect(page.contains("<desc id=\"trend-desc\">"))
            // The types chart draws what the table publishes; with most types withheld it says so.
            #expect(page.contains("<desc id=\"types-desc\">") || page.contains("id=\"types-empty\">Too few to chart"))
            // The demo's one Romanian case is counted under "Other nationalities", never named.
            #expect(page.contains("Other nationalities"))
            #expect(!page.contains("Romanian"), "a nationality below the threshold was named")
            let csv = try await analyst.get("/reports/report.csv?period=year&year=\(year)")
            #expect(csv.headers.first(name: .contentDisposition)?.contains("partnership-statistics-\(year - 1)-04-01-to-\(year)-03-31.csv") == true)
            #expect(csv.body.string.hasPrefix("table,category,count,percent_of_known,previous_period"))
            #expect(!csv.body.string.contains("Romanian"))
            let bad = try await analyst.get("/reports?period=custom&from=2026-06-31&to=2026-05-01&threshold=0")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Enter the first day as a real date"))
            #expect(bad.body.string.contains("The suppression threshold must be a whole number from 2 to 50"))

            // A snapshot keeps its figures when cases change afterwards.
            try await analyst.get("/reports?year=\(year)")
            let saved = try await analyst.post("/reports/snapshots?period=year&year=\(year)&quarter=1&from=&to=&threshold=5", [:])
            #expect(saved.status == .seeOther)
            let before = try await analyst.get(saved.location!).body.string
            for i in 6..<12 { _ = try await CasesTests.openCase(browser, env, CasesTests.person("Ola\(i)", "Nowak\(i)", age: "adult")) }
            let after = try await analyst.get(saved.location!).body.string
            let figures = { (html: String) in html.components(separatedBy: "<h2 class=\"heading-m\">Exploitation type</h2>").last ?? "" }
            #expect(figures(before) == figures(after))
            #expect(try await analyst.get("/reports?year=\(year)").body.string.contains("Labour exploitation") )
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

    @Test(arguments: TestDatabase.available)
    func decisionsDaysTakenAndCountyLinesAreCounted(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            // Six children in county lines, each referred and given a positive Reasonable Grounds
            // decision 2 to 7 days after submission.
            for i in 0..<6 {
                let c = try await CasesTests.openCase(browser, env, CasesTests.person("Kai\(i)", "Brook\(i)", age: "under_18",
                                                                                     extra: [("types[]", "forced_crime"), ("county_lines", "yes")]))
                let path = "/cases/\(c.id!.uuidString)"
                try await browser.post(path + "/notifications", ["kind": "nrm"])
                let referral = try #require(try await HomeOfficeReferral.query(on: env.db).filter(\.$safeguardingCase.$id == c.id!).first())
                let move = path + "/notifications/\(referral.id!.uuidString)/move"
                let submitted = Day(parsing: "2026-07-01")!.adding(days: i)
                try await browser.post(move, ["to": "submitted", "on": submitted.iso, "reference": "NRM-CL-\(i)"])
                try await browser.post(move, ["to": "awaiting_rg", "on": submitted.iso])
                let decided = try await browser.post(move, ["to": "rg_positive", "on": submitted.adding(days: i + 2).iso])
                #expect(decided.status == .seeOther)
                #expect(try await HomeOfficeReferral.find(referral.id, on: env.db)?.rgPositive == true)
            }
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            let year = FinancialYear.containing(env.clock.now()).endYear
            let page = try await analyst.get("/reports?year=\(year)").body.string
            #expect(page.contains("Of 6 Reasonable Grounds decisions, 6 were positive."), "\(page.components(separatedBy: "written-summary").last?.prefix(800) ?? "")")
            #expect(page.contains("involved county lines"))
            #expect(page.contains("Reasonable Grounds decisions (made in the period)"))
            let csv = try await analyst.get("/reports/report.csv?period=year&year=\(year)").body.string
            // The demo data has county lines cases of its own.
            let countyLines = try await SafeguardingCase.query(on: env.db).filter(\.$countyLines == true).count()
            #expect(countyLines >= 6)
            #expect(csv.contains("Exploitation type,Criminal: of which county lines,\(countyLines),"), "\(csv)")
            #expect(csv.contains("Reasonable Grounds decisions (made in the period),Positive,6,100%,0"))
            #expect(csv.contains("Time to decision,Reasonable Grounds: median days from submission,4.5 days,,not published"))
            #expect(csv.contains("Time to decision,Conclusive Grounds: median days from submission,not published"))
        }
    }

    /// The written summary and the types table (and its chart and CSV) publish the same cells.
    /// Types 12 / 7 / 3 / 1 / 1 at threshold 5: the three small ones are hidden and labour's 7
    /// is withheld with them, in the summary and in the table alike.
    @Test(arguments: TestDatabase.available)
    func theSummaryAndTheTypesTableWithholdTheSameCells(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            // Two years on, so that the year holds only these cases, not the demo data's.
            env.clock.advance(by: 2 * 366 * 86_400)
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            let types = Array(repeating: "forced_crime", count: 12) + Array(repeating: "forced_to_work", count: 7)
                + Array(repeating: "prostitution", count: 3) + ["domestic_servitude", "other"]
            for (i, type) in types.enumerated() {
                let fields = CasesTests.person("Ana\(i)", "Lake\(i)", age: "adult").filter { $0.0 != "types[]" } + [("types[]", type)]
                _ = try await CasesTests.openCase(browser, env, fields)
            }
            let period = ReportPeriod.financialYear(endYear: FinancialYear.containing(env.clock.now()).endYear)
            let report = try await PartnershipReport.build(on: env.db, period: period, threshold: 5)
            #expect(report.cases == "24")
            let labour = try #require(report.types.first { $0.label == "Labour exploitation" })
            #expect(labour.total == "withheld" && labour.only == "withheld" && labour.percent.isEmpty)
            #expect(report.summary.contains("labour exploitation withheld"), "\(report.summary)")
            #expect(report.types.first { $0.label == "Criminal exploitation" }?.total == "12")
            #expect(!report.typeChart.contains(">7<"), "the chart does not draw the withheld 7")
            for row in report.types where row.total != "0" {
                let label = row.label.prefix(1).lowercased() + row.label.dropFirst()
                #expect(report.summary.contains("\(label) \(row.total)"), "\(row.label): table \(row.total); \(report.summary)")
            }
        }
    }

    /// A threshold of 1 (no suppression) is for the safeguarding lead's internal papers: refused
    /// to the analyst, marked "not for publication" on the page and the CSV, never a snapshot.
    @Test(arguments: TestDatabase.available)
    func figuresWithoutSuppressionAreTheLeadsAndMarkedNotForPublication(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let year = FinancialYear.containing(env.clock.now()).endYear
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            let refused = try await analyst.get("/reports?year=\(year)&threshold=1")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("for safeguarding leads only"))
            #expect(!refused.body.string.contains("Not for publication"), "the analyst's figures stay suppressed")
            #expect(!refused.body.string.contains("threshold-hint"), "nor is the analyst offered it")
            #expect(try await analyst.get("/reports/report.csv?period=year&year=\(year)&threshold=1").body.string.contains("fewer than 5"))

            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let page = try await lead.get("/reports?year=\(year)&threshold=1")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("<title>Partnership statistics, not for publication"))
            #expect(html.contains("Not for publication.</strong>"))
            #expect(!html.contains("fewer than"), "nothing is suppressed")
            #expect(!html.contains("Save a dated snapshot"))
            #expect(html.contains("aria-describedby=\"threshold-hint\""))
            let csv = try await lead.get("/reports/report.csv?period=year&year=\(year)&threshold=1")
            #expect(csv.headers.first(name: .contentDisposition)?.contains("not-for-publication-") == true)
            #expect(csv.body.string.components(separatedBy: "\r\n")[1].hasPrefix("Not for publication,"))
            let snapshot = try await lead.post("/reports/snapshots?period=year&year=\(year)&threshold=1", [:])
            #expect(snapshot.status == .badRequest)
            #expect(try await ReportSnapshot.query(on: env.db).count() == 0)
            // At 5 the same lead's page is the published one.
            #expect(!(try await lead.get("/reports?year=\(year)")).body.string.contains("Not for publication"))
        }
    }
}
