import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// The public report a page at a time: each page asks one topic and checks only its own
/// questions, the answers travel with the pages (nothing is stored, no session is written),
/// the signs can be skipped, every answer can be changed from the check page, and the report
/// is sent from there.
@Suite struct PublicReportFlowTests {
    static func page(_ browser: Browser, _ step: String, _ carried: [(String, String)], go: String = "next") async throws -> TestingHTTPResponse {
        try await browser.postPairs("/report/answers", [("step", step), ("go", go)] + carried)
    }

    /// The hidden fields a page carries, to send with the next.
    static func carried(_ html: String) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var rest = html[...]
        while let r = rest.range(of: "<input type=\"hidden\" name=\"") {
            let name = String(rest[r.upperBound...].prefix { $0 != "\"" })
            let afterName = rest[r.upperBound...].dropFirst(name.count)
            if let v = afterName.range(of: "value=\"") {
                let value = String(afterName[v.upperBound...].prefix { $0 != "\"" })
                if !["_csrf", "step", "pow_token", "pow_solution", "return"].contains(name) {
                    pairs.append((name, value.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")))
                }
            }
            rest = rest[r.upperBound...]
        }
        return pairs
    }

    @Test(arguments: TestDatabase.available)
    func aReportIsAskedAPageAtATimeCheckedAndSent(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            let first = try await browser.get("/report").body.string
            #expect(first.contains("Is anyone in danger right now?") && first.contains("page 1 of 7"))
            #expect(!first.contains("Who are you?"), "one topic a page")

            // A page checks its own questions only, in page order.
            let empty = try await Self.page(browser, "danger", [])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("Say whether anyone is in danger right now") && !empty.body.string.contains("Choose who you are"))

            var html = try await Self.page(browser, "danger", [("immediate_danger", "no"), ("police_called", "no")]).body.string
            #expect(html.contains("<h1 class=\"heading-l\">About you</h1>"))
            html = try await Self.page(browser, "you", Self.carried(html) + [("relationship", "public_named")]).body.string
            #expect(html.contains("Who your concern is about"))
            // Back keeps what was given.
            let back = try await Self.page(browser, "person", Self.carried(html), go: "back").body.string
            #expect(back.contains("value=\"public_named\" checked"))
            html = try await Self.page(browser, "person", Self.carried(html) + [("subject", "person"), ("who", "A man, about 40"), ("age", "adult"),
                                                                                 ("child_involved", "no")]).body.string
            html = try await Self.page(browser, "place", Self.carried(html) + [("location", "Car wash, Mill Lane"), ("description", "Sleeps on site & is never paid")]).body.string
            #expect(html.contains("Signs you may have noticed") && html.contains("Skip this question"))
            html = try await Self.page(browser, "signs", Self.carried(html) + [("indicators[]", "labour.no_ppe")], go: "skip").body.string
            #expect(html.contains("Can we contact you?"))
            #expect(!html.contains("labour.no_ppe"), "skipping the signs leaves none chosen")
            html = try await Self.page(browser, "contact", Self.carried(html) + [("anonymous", "yes")]).body.string
            #expect(html.contains("Check your answers before sending your report"))
            #expect(html.contains("Car wash, Mill Lane") && html.contains("Sleeps on site &amp; is never paid") && html.contains("None chosen"))

            // Changing an answer returns to the check page.
            let change = try await Self.page(browser, "check", Self.carried(html), go: "change:person").body.string
            #expect(change.contains("name=\"return\" value=\"check\"") && change.contains("A man, about 40"))
            let changed = try await browser.postPairs("/report/answers", [("step", "person"), ("go", "next"), ("return", "check")]
                + Self.carried(change) + [("subject", "person"), ("who", "Two men, about 40"), ("age", "adult"), ("child_involved", "no")]).body.string
            #expect(changed.contains("Check your answers") && changed.contains("Two men, about 40"))

            #expect(try await StoredSession.query(on: env.db).count() == 0, "nothing is stored until the report is sent")
            #expect(try await Concern.query(on: env.db).filter(\.$receiptHash != nil).count() == 0)
            let sent = try await browser.postPairs("/report", Self.carried(changed))
            #expect(sent.status == .ok && sent.body.string.contains("receipt-code"))
            let concern = try #require(try await Concern.query(on: env.db).filter(\.$receiptHash != nil).first())
            #expect(try concern.open(with: env.app.lantern.cipher).whoAtRisk == "Two men, about 40")
        }
    }
}
