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
