import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// The page frame, the home page, the case list, a case page and the sign-in page are written in Swift rather than Leaf, for
/// speed. Whatever a person typed must still reach those pages escaped, exactly as Leaf's
/// `#( )` escapes it.
@Suite("Pages written in Swift")
struct SwiftPagesTests {
    /// Leaf's `htmlEscaped()`: & " ' < > and nothing else.
    @Test(arguments: [("plain", "plain"), ("a & b < c > d \" e ' f", "a &amp; b &lt; c &gt; d &quot; e &#39; f"),
                      ("— ü 🙂 <<>>", "— ü 🙂 &lt;&lt;&gt;&gt;"), ("", ""), ("&amp;", "&amp;amp;"), ("tail<", "tail&lt;")])
    func valuesAreEscapedAsLeafEscapesThem(_ value: String, _ escaped: String) {
        var html = HTML()
        html.text(value)
        #expect(String(buffer: html.buffer) == escaped)
    }

    @Test(arguments: TestDatabase.available)
    func whatPeopleTypedIsEscapedOnTheSwiftPages(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            try await browser.get("/cases/new")
            let hostile = CasesTests.person("<script>alert(1)</script>", "O'Neill & \"Sons\"", age: "adult")
            let opened = try await CasesTests.openCase(browser, env, hostile)
            let path = "/cases/\(opened.id!.uuidString)"
            try await browser.get(path)
            #expect(try await browser.post(path + "/tasks", ["title": "<img src=x onerror=alert(2)>", "due_on": Day(env.clock.now()).adding(days: 2).iso]).status == .seeOther)

            #expect(try await browser.post(path + "/notes", ["note": "Met at \"The Arches\" & said <i>nothing</i>"]).status == .seeOther)
            let casePage = try await browser.get(path).body.string
            #expect(!casePage.contains("<script>alert(1)") && !casePage.contains("<img src=x") && !casePage.contains("<i>nothing"))
            #expect(casePage.contains("&lt;img src=x onerror=alert(2)&gt;</td>"))
            #expect(casePage.contains("<span class=\"visually-hidden\">: &lt;img src=x onerror=alert(2)&gt;</span>"))
            #expect(casePage.contains("Met at &quot;The Arches&quot; &amp; said &lt;i&gt;nothing&lt;/i&gt;"))
            // A refused form comes back open, with what was typed, escaped, and its error.
            let refused = try await browser.post(path + "/tasks", ["title": "", "due_on": "\"><b>soon</b>"])
            #expect(refused.status == .unprocessableEntity)
            let again = refused.body.string
            #expect(again.contains("<details class=\"details\" open><summary>Add a task</summary>"))
            #expect(again.contains("value=\"&quot;&gt;&lt;b&gt;soon&lt;/b&gt;\""))
            #expect(again.contains("<p class=\"error-message\" id=\"title-error\"><span class=\"visually-hidden\">Error:</span> Say what needs doing</p>"))
            #expect(again.contains("<a href=\"#title\">Say what needs doing</a>"))
            #expect(!again.contains("<b>soon"))

            let list = try await browser.get("/cases").body.string
            #expect(!list.contains("<script>alert(1)"))
            #expect(list.contains("&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Neill &amp; &quot;Sons&quot;"))

            let search = try await browser.get("/cases?q=%22%3E%3Cscript%3Ealert(3)%3C/script%3E").body.string
            #expect(!search.contains("<script>alert(3)"))
            #expect(search.contains("value=\"&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;\""))
            #expect(search.contains("<title>Cases matching \u{201C}&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;\u{201D} – "))

            let home = try await browser.get("/home").body.string
            #expect(!home.contains("<img src=x"))
            #expect(home.contains("&lt;img src=x onerror=alert(2)&gt;"))
            // The frame: every page ends its document once, after the footer.
            for page in [list, home, casePage] {
                #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en-GB\">"))
                #expect(page.components(separatedBy: "</html>").count == 2)
                #expect(page.contains("<a href=\"/cases\" aria-current=\"page\" class=\"navigation__link--current\">Cases</a>") == (page != home))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func theFrameEscapesThePersonAndTheMessage(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let user = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .administrator)).first())
            user.displayName = "Ash <b>Bold</b> & Co"
            try await user.save(on: env.db)
            let home = try await admin.get("/home").body.string
            #expect(home.contains("<span>Ash &lt;b&gt;Bold&lt;/b&gt; &amp; Co <span class=\"header__role\">"))
            #expect(!home.contains("<b>Bold</b>"))
        }
    }
}
