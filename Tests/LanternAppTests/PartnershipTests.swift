import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("The partnership: partners, their returns and the combined picture")
struct PartnershipTests {
    /// The metropolitan borough's 46 police enquiries for April 2023 to March 2024
    /// (`shared/seeds/003_cb3703bc337639d5.txt`), as records. Its own cross-tab does not add up
    /// (17 of 24 British under 18 plus 1 of 6 others is 18, not 17), so 16 British are under 18.
    static func metropolitanEnquiries() -> String {
        var rows: [String] = []
        let types = Array(repeating: "criminal", count: 34) + Array(repeating: "labour", count: 7) + Array(repeating: "sexual", count: 3)
            + ["domestic_servitude", "unknown"]
        // The 30 known on age and nationality, then 16 known on neither.
        let people: [(String, String)] = Array(repeating: ("child", "British"), count: 16) + Array(repeating: ("adult", "British"), count: 8)
            + [("adult", "Albanian"), ("adult", "Albanian"), ("child", "Vietnamese"), ("adult", "Romanian"), ("adult", "Polish"), ("adult", "Eritrean")]
            + Array(repeating: ("", ""), count: 16)
        let start = Day(year: 2023, month: 4, day: 1)!
        for i in 0..<46 {
            rows.append("\(start.adding(days: i * 7).iso),\(types[i]),\(people[i].0),,\(people[i].1),,,police enquiry")
        }
        return "date,exploitation_type,age_group,gender,nationality,area,outcome,source_kind\n" + rows.joined(separator: "\n") + "\n"
    }

    static func addPartner(_ env: TestEnvironment, _ name: String, kind: PartnerKind = .police) async throws -> PartnerOrganisation {
        let partner = PartnerOrganisation()
        partner.name = name; partner.kind = kind; partner.contactName = ""; partner.contactEmail = ""; partner.contactPhone = ""
        partner.isActive = true; partner.createdAt = env.clock.now()
        try await partner.create(on: env.db)
        return partner
    }

    static func cell(_ page: String, row: String) -> [String] {
        guard let start = page.range(of: "<th scope=\"row\">\(row)</th>") else { return [] }
        let rest = page[start.upperBound...]
        let end = rest.range(of: "</tr>")!.lowerBound
        return rest[..<end].components(separatedBy: "<td class=\"table__cell--numeric\">").dropFirst().map { $0.components(separatedBy: "</td>")[0] }
    }

    static func section(_ page: String, id: String) -> String {
        guard let start = page.range(of: "id=\"\(id)\"") else { return "" }
        let rest = page[start.upperBound...]
        return String(rest[..<(rest.range(of: "</table>")?.upperBound ?? rest.endIndex)])
    }

    @Test(arguments: TestDatabase.available)
    func theMetropolitanBoroughsPoliceEnquiriesMakeItsPublishedPicture(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let police = try await Self.addPartner(env, "Greater Manchester Police")
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            try await analyst.get("/returns/new")
            let sent = try await analyst.postFile("/returns/upload", fields: ["partner_id": police.id!.uuidString, "period_start": "2023-04-01",
                                                                             "period_end": "2024-03-31", "source_kind": "police enquiry"],
                                                  fileField: "file", filename: "enquiries.csv", contents: Data(Self.metropolitanEnquiries().utf8))
            #expect(sent.status == .seeOther, "\(sent.body.string.prefix(3000))")
            #expect(try await DataReturnRecord.query(on: env.db).count() - 32 == 46)

            // Suppression off, as the statement publishes: the safeguarding lead's internal figures.
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let page = try await lead.get("/partnership?period=custom&from=2023-04-01&to=2024-03-31&threshold=1&rows=nationality_group&columns=age")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Not for publication"))
            let types = Self.section(html, id: "table-type")
            for (label, count, percent) in [("Criminal exploitation", "34", "74%"), ("Labour exploitation", "7", "15%"), ("Sexual exploitation", "3", "7%"),
                                            ("Domestic servitude", "1", "2%"), ("Other or not known", "1", "2%")] {
                let cells = Self.cell(types, row: label)
                #expect(cells.suffix(2) == [count, percent], "\(label): \(cells)")
                // The police's column beside the summed one.
                #expect(cells.dropLast(2).last == count)
            }
            let nationality = Self.section(html, id: "table-nationality")
            #expect(Self.cell(nationality, row: "British").suffix(2) == ["24", "80%"])
            #expect(Self.cell(nationality, row: "Albanian").suffix(2) == ["2", "7%"])
            #expect(Self.cell(nationality, row: "Not known").suffix(2).first == "16")
            let age = Self.section(html, id: "table-age")
            #expect(Self.cell(age, row: "18 or over").suffix(2) == ["13", "43%"])
            #expect(Self.cell(age, row: "Under 18").suffix(2) == ["17", "57%"])
            let cross = Self.section(html, id: "cross-table")
            #expect(Self.cell(cross, row: "British") == ["16", "67%", "8", "33%", "24"])
            #expect(Self.cell(cross, row: "Other nationalities") == ["1", "17%", "5", "83%", "6"])
            #expect(html.contains("<span id=\"cross-not-known\">16</span>"))

            // The CSV says the same, marked for internal use.
            let csv = try await lead.get("/partnership/picture.csv?period=custom&from=2023-04-01&to=2024-03-31&threshold=1&rows=nationality_group&columns=age")
            let lines = csv.body.string.components(separatedBy: "\r\n")
            #expect(lines[1].hasPrefix("Not for publication"))
            #expect(lines.contains("Exploitation type,Criminal exploitation,All sources,34,74%"))
            #expect(lines.contains("British or other nationality by Age at exploitation,British / Under 18,All sources,16,67%"))

            // The analyst cannot turn suppression off; at 5 the small cells hide.
            let refused = try await analyst.get("/partnership?period=custom&from=2023-04-01&to=2024-03-31&threshold=1")
            #expect(refused.status == .unprocessableEntity)
            let published = try await analyst.get("/partnership?period=custom&from=2023-04-01&to=2024-03-31&rows=nationality_group&columns=age").body.string
            #expect(Self.cell(Self.section(published, id: "table-type"), row: "Domestic servitude").suffix(2).first == "fewer than 5")
            #expect(!Self.section(published, id: "table-nationality").contains(">Albanian<"), "a nationality under the threshold is not named")
        }
    }
}

@Suite("Partners' staff and their returns")
struct PartnerReturnsTests {
    @Test(arguments: TestDatabase.available)
    func aPartnersStaffReachOnlyTheirOwnOrganisationsReturns(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let glaa = try #require(try await PartnerOrganisation.query(on: env.db).filter(\.$kind == .glaa).first())
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            try await analyst.get("/returns/new?form=counts")
            let sent = try await analyst.post("/returns", ["partner_id": glaa.id!.uuidString, "period_start": "2026-04-01", "period_end": "2026-06-30",
                                                           "total": "9", "type_labour": "7", "type_other_or_unknown": "2", "nationalities": "Romanian: 5\nBritish: 2"])
            #expect(sent.status == .seeOther, "\(sent.body.string.prefix(2000))")
            let glaaReturn = try #require(try await DataReturn.query(on: env.db).filter(\.$partner.$id == glaa.id!).first())
            #expect(try await DataReturnCount.query(on: env.db).filter(\.$dataReturn.$id == glaaReturn.id!).count() == 4)

            let partner = try env.browser()
            try await partner.signIn(as: .partner)
            let list = try await partner.get("/returns").body.string
            #expect(list.contains("Demo Borough Police"))
            #expect(!list.contains("Gangmasters"), "another partner's return is not listed: \(list.components(separatedBy: "Gangmasters")[0].suffix(300))")
            #expect(try await partner.get("/returns/\(glaaReturn.id!.uuidString)").status == .notFound)
            let withdraw = try await partner.post("/returns/\(glaaReturn.id!.uuidString)/withdraw", ["reason": "not ours"])
            #expect(withdraw.status == .notFound)
            #expect(try await DataReturn.find(glaaReturn.id, on: env.db)?.withdrawnAt == nil)
            // The picture shows partners together, never one beside another, and no council case.
            let picture = try await partner.get("/partnership").body.string
            #expect(picture.contains(">Partners<") && !picture.contains("Gangmasters and Labour Abuse Authority</th>"))
            for path in ["/cases", "/concerns", "/partners", "/reports/report.csv"] where path != "/reports/report.csv" {
                #expect(try await partner.get(path).status == .forbidden, "\(path)")
            }
            // A partner submits for their own organisation only, whatever the form says.
            try await partner.get("/returns/new?form=counts")
            let own = try await partner.post("/returns", ["partner_id": glaa.id!.uuidString, "period_start": "2026-04-01", "period_end": "2026-06-30", "total": "3"])
            #expect(own.status == .seeOther, "\(own.body.string.components(separatedBy: "error-summary__list")[1].prefix(600))")
            let police = try #require(try await PartnerOrganisation.query(on: env.db).filter(\.$kind == .police).first())
            #expect(try await DataReturn.query(on: env.db).filter(\.$partner.$id == police.id!).count() == 2)
            #expect(try await DataReturn.query(on: env.db).filter(\.$partner.$id == glaa.id!).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBadFileIsRefusedWholeWithEveryLineNamed(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let police = try #require(try await PartnerOrganisation.query(on: env.db).filter(\.$kind == .police).first())
            let before = try await DataReturnRecord.query(on: env.db).count()
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            try await analyst.get("/returns/new")
            let csv = "date,exploitation_type,age_group,area\n2026-05-01,criminal,child,Central\n2026-05-02,<script>,adult,\n2026-05-03,labour,adult,Atlantis\n"
            let response = try await analyst.postFile("/returns/upload", fields: ["partner_id": police.id!.uuidString, "period_start": "2026-04-01", "period_end": "2026-06-30"],
                                                      fileField: "file", filename: "may.csv", contents: Data(csv.utf8))
            #expect(response.status == .unprocessableEntity)
            let page = response.body.string
            #expect(page.contains("Line 3: exploitation_type &#39;&lt;script&gt;&#39;") || page.contains("Line 3: exploitation_type '&lt;script&gt;'"))
            #expect(page.contains("Line 4: area"))
            #expect(!page.contains("<script>,"))
            // What was typed is kept.
            #expect(page.contains("value=\"2026-04-01\""))
            #expect(try await DataReturnRecord.query(on: env.db).count() == before)
            #expect(try await DataReturn.query(on: env.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func countsMustAddUpAndAPeriodIsCountedOnce(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let police = try #require(try await PartnerOrganisation.query(on: env.db).filter(\.$kind == .police).first())
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            try await analyst.get("/returns/new?form=counts")
            var form = ["partner_id": police.id!.uuidString, "period_start": "2026-04-01", "period_end": "2026-06-30", "source_kind": "police enquiry",
                        "total": "5", "type_criminal": "4", "type_labour": "3", "age_child": "two", "nationalities": "British 3"]
            let refused = try await analyst.post("/returns", form)
            #expect(refused.status == .unprocessableEntity)
            let page = refused.body.string
            #expect(page.contains("add up to 7, more than the return&#39;s total of 5") || page.contains("add up to 7, more than the return's total of 5"))
            #expect(page.contains("Enter the number for under 18 as a whole number"))
            #expect(page.contains("Line 1 of the nationalities"))
            #expect(page.contains("value=\"two\""), "what was typed stays")
            form["type_labour"] = "1"; form["age_child"] = "2"; form["nationalities"] = "British: 3"
            let sent = try await analyst.post("/returns", form)
            #expect(sent.status == .seeOther)
            // The same partner, source and days again would count them twice.
            try await analyst.get("/returns/new?form=counts")
            form["period_start"] = "2026-06-01"; form["period_end"] = "2026-08-31"
            let again = try await analyst.post("/returns", form)
            #expect(again.status == .unprocessableEntity)
            #expect(again.body.string.contains("Withdraw it first"))
            // Withdrawn, it stops counting; the period is free again.
            let first = try #require(try await DataReturn.query(on: env.db).filter(\.$periodStart == "2026-04-01").first())
            let quarter = "/partnership?period=custom&from=2026-04-01&to=2026-06-30&threshold=2"
            #expect(PartnershipTests.cell(PartnershipTests.section(try await analyst.get(quarter).body.string, id: "table-type"), row: "Criminal exploitation").contains("4"))
            try await analyst.get("/returns/\(first.id!.uuidString)")
            #expect(try await analyst.post("/returns/\(first.id!.uuidString)/withdraw", ["reason": "replaced by a corrected return"]).status == .seeOther)
            #expect(!PartnershipTests.cell(PartnershipTests.section(try await analyst.get(quarter).body.string, id: "table-type"), row: "Criminal exploitation").contains("4"))
            try await analyst.get("/returns/new?form=counts")
            #expect(try await analyst.post("/returns", form).status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.available)
    func thePartnerRoleNeedsAPartnerOrganisation(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            try await admin.get("/admin/users/invite")
            let missing = try await admin.post("/admin/users/invite", ["displayName": "Dana Fox", "email": "dana.fox@police.example", "role": "partner"])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains("Choose the partner organisation the person works for"))
            let police = try #require(try await PartnerOrganisation.query(on: env.db).filter(\.$kind == .police).first())
            let wrong = try await admin.post("/admin/users/invite", ["displayName": "Dana Fox", "email": "dana.fox@police.example", "role": "caseworker", "partnerID": police.id!.uuidString])
            #expect(wrong.status == .unprocessableEntity)
            let invited = try await admin.post("/admin/users/invite", ["displayName": "Dana Fox", "email": "dana.fox@police.example", "role": "partner", "partnerID": police.id!.uuidString])
            #expect(invited.status == .ok)
            #expect(try await User.query(on: env.db).filter(\.$email == "dana.fox@police.example").first()?.partnerID == police.id)
        }
    }
}
