import Fluent
import Foundation
import LanternCore
import StatementChecker
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Training, action plan and the annual statement")
struct ProgrammeTests {
    @Test func categoriesTypedFreelyReadAsOneListInTheStatement() {
        let top = StatementFactsBuilder.top(["Garments, gloves and footwear", "garments; cotton", "Garments", "ICT hardware", "ICT hardware"])
        #expect(top == ["garments", "ICT hardware", "cotton"])
        #expect(OrganisationStatement.list(["garments", "cotton"]) == "garments and cotton")
        #expect(OrganisationStatement.list(["garments, gloves and footwear", "cotton"]) == "garments, gloves and footwear; and cotton")
    }

    static func csv(_ text: String) -> Data { Data(text.utf8) }

    @Test(arguments: TestDatabase.available)
    func trainingFormsImportsAndTheDashboard(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .trainingManager)
            let today = Day(env.clock.now())

            // Courses: every field checked, typed values kept.
            let badCourse = try await browser.post("/training/courses", ["name": "", "refresh_months": "abc", "new_starter_days": "400"])
            #expect(badCourse.status == .unprocessableEntity)
            for message in ["Enter the course&#39;s name", "Enter how many months until it must be done again", "Enter the days a new starter has"] {
                #expect(badCourse.body.string.contains(message) || badCourse.body.string.contains(message.replacingOccurrences(of: "&#39;", with: "'")), "missing: \(message)")
            }
            #expect(badCourse.body.string.contains("value=\"abc\""))
            let duplicate = try await browser.post("/training/courses", ["name": "Modern slavery awareness", "refresh_months": "24"])
            #expect(duplicate.body.string.contains("There is already a course called Modern slavery awareness"))
            let created = try await browser.post("/training/courses", ["name": "Recognising <b>exploitation</b>", "refresh_months": "12", "new_starter_days": ""])
            #expect(created.status == .seeOther)
            let course = try #require(try await TrainingCourse.query(on: env.db).filter(\.$name == "Recognising <b>exploitation</b>").first())
            #expect(course.newStarterDays == 30 && course.refreshMonths == 12)
            // An empty form no longer means everyone: who is asked outright, and "all staff" asked again.
            let empty = try await browser.post("/training/courses/\(course.id!.uuidString)/requirements", ["job_title": "", "team": "", "directorate": ""])
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("Choose who must take the course"))
            let noneNamed = try await browser.post("/training/courses/\(course.id!.uuidString)/requirements", ["scope": "some"])
            #expect(noneNamed.body.string.contains("Enter a job title, team or directorate, or choose all staff"))
            let everyone = try await browser.post("/training/courses/\(course.id!.uuidString)/requirements", ["scope": "all"])
            #expect(everyone.status == .ok && everyone.body.string.contains("of all staff?"))
            #expect(try await TrainingRequirement.query(on: env.db).filter(\.$course.$id == course.id!).count() == 0)
            try await browser.post("/training/courses/\(course.id!.uuidString)/requirements", ["scope": "some", "job_title": "Housing Officer", "team": "", "directorate": ""])
            let page = try await browser.get("/training/courses").body.string
            #expect(page.contains("Recognising &lt;b&gt;exploitation&lt;/b&gt;") && page.contains("job title &quot;housing officer&quot;"))

            // A person added by hand: the same checks as the HR file.
            let badPerson = try await browser.post("/training/staff", ["staff_number": "", "name": "Nia <i>Ray</i>", "job_title": "Housing Officer",
                                                                       "directorate": "", "email": "not-an-email", "started_on": "2026-02-30"])
            #expect(badPerson.status == .unprocessableEntity)
            for message in ["Enter the staff number", "Enter the directorate", "Email &#39;not-an-email&#39; is not an email address", "Start date &#39;2026-02-30&#39; is not a date"] {
                let plain = message.replacingOccurrences(of: "&#39;", with: "'")
                #expect(badPerson.body.string.contains(message) || badPerson.body.string.contains(plain), "missing: \(message)")
            }
            #expect(badPerson.body.string.contains("Nia &lt;i&gt;Ray&lt;/i&gt;"))
            let added = try await browser.post("/training/staff", ["staff_number": "E3001", "name": "Nia Ray", "job_title": "Housing Officer",
                                                                   "directorate": "Place", "manager_email": "training.manager@demo.lantern.example",
                                                                   "started_on": today.adding(days: -400).iso])
            #expect(added.status == .seeOther)
            let nia = try #require(try await StaffMember.query(on: env.db).filter(\.$staffNumber == "E3001").first())
            let future = try await browser.post("/training/staff/\(nia.id!.uuidString)/completions",
                                                ["course": course.id!.uuidString, "completed_on": today.adding(days: 3).iso, "provider": "In house"])
            #expect(future.body.string.contains("The date cannot be in the future"))
            #expect(future.body.string.contains("value=\"In house\""))
            try await browser.post("/training/staff/\(nia.id!.uuidString)/completions",
                                   ["course": course.id!.uuidString, "completed_on": today.adding(days: -380).iso, "provider": "In house"])

            // A learning system's file with one bad line imports nothing, with every problem by line.
            let before = try await TrainingCompletion.query(on: env.db).count()
            let bad = try await browser.postFile("/training/import", fields: ["kind": "completions"], fileField: "file", filename: "lms.csv",
                                                 contents: Self.csv("email,course,completed_on\nnia.ray@example.org,Modern slavery awareness,2026-01-01\n,Nope,yesterday\n"))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Line 2: no one on the staff list has email nia.ray@example.org"))
            #expect(bad.body.string.contains("Line 3: staff_number and email are both empty; course &#39;Nope&#39; is not a course in Lantern")
                || bad.body.string.contains("Line 3: staff_number and email are both empty; course 'Nope' is not a course in Lantern"))
            #expect(try await TrainingCompletion.query(on: env.db).count() == before)
            let good = try await browser.postFile("/training/import", fields: ["kind": "completions"], fileField: "file", filename: "lms.csv",
                                                  contents: Self.csv("staff_number,course,completed_on\nE3001,Modern slavery awareness,\(today.adding(days: -10).iso)\nE3001,Modern slavery awareness,\(today.adding(days: -10).iso)\n"))
            #expect(good.body.string.contains("1 completion recorded"))
            #expect(good.body.string.contains("Line 3: the same completion is on line 2; not added again"))

            // The manager's dashboard: Nia's yearly course has lapsed, her awareness course is in date.
            let dashboard = try await browser.get("/training").body.string
            let team = dashboard.components(separatedBy: "id=\"team\"").dropFirst().first?.components(separatedBy: "</table>").first ?? ""
            #expect(team.contains("Nia Ray"))
            #expect(team.contains("tag--overdue\">Overdue"))
            #expect(dashboard.contains("By directorate"))
            let export = try await browser.get("/training/export.csv")
            #expect(export.body.string.hasPrefix("staff_number,name,job_title,team,directorate,course,status,last_completed,due"))
            #expect(export.body.string.contains("E3001,Nia Ray,Housing Officer,,Place,Recognising <b>exploitation</b>,Overdue"))

            // Need to know: a caseworker sees rates and the people they manage, not the staff list.
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            #expect(try await caseworker.get("/training").status == .ok)
            #expect(try await caseworker.get("/training/staff").status == .forbidden)
            #expect(!(try await caseworker.get("/training").body.string.contains("Nia Ray")))
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            #expect(try await analyst.get("/training").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func actionPlanProgressCarryOverAndRecommendations(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .safeguardingLead)
            let year = FinancialYear.containing(env.clock.now()).endYear
            let bad = try await browser.post("/action-plan/actions?year=\(year)", ["area": "", "title": "", "owner": "", "due_on": "31/13/2026"])
            #expect(bad.status == .unprocessableEntity)
            for message in ["Choose the area of the plan", "Describe the action", "Enter who owns the action", "Enter the due date as a real date"] {
                #expect(bad.body.string.contains(message), "missing: \(message)")
            }
            #expect(bad.body.string.contains("value=\"31/13/2026\""))
            try await browser.post("/action-plan/actions?year=\(year)", ["area": "detection", "title": "Unannounced visits to <high-risk> sites",
                                                                          "owner": "Contract Manager", "due_on": "2027-01-31", "status": "in_progress"])
            try await browser.post("/action-plan/actions?year=\(year)", ["area": "prevention", "title": "Awareness course for all staff",
                                                                          "owner": "L&D", "status": "done", "business_as_usual": "yes"])
            let visits = try #require(try await PlanAction.query(on: env.db).filter(\.$title == "Unannounced visits to <high-risk> sites").first())
            let note = try await browser.post("/action-plan/actions/\(visits.id!.uuidString)/notes", ["noted_on": "", "text": "Two visits done"])
            #expect(note.status == .seeOther)
            let emptyNote = try await browser.post("/action-plan/actions/\(visits.id!.uuidString)/notes", ["text": ""])
            #expect(emptyNote.body.string.contains("Describe the progress"))
            let plan = try await browser.get("/action-plan?year=\(year)").body.string
            #expect(plan.contains("Unannounced visits to &lt;high-risk&gt; sites"))
            #expect(plan.contains("Two visits done"))

            // Carrying forward copies what is unfinished and not business as usual, once.
            let carried = try await browser.post("/action-plan/carry-forward?year=\(year)", [:])
            #expect(carried.status == .seeOther)
            let next = try await PlanAction.query(on: env.db).filter(\.$planYear == year + 1).all()
            #expect(next.contains { $0.carriedFrom == visits.id })
            #expect(!next.contains { $0.title == "Awareness course for all staff" })
            let count = next.count
            try await browser.post("/action-plan/carry-forward?year=\(year)", [:])
            #expect(try await PlanAction.query(on: env.db).filter(\.$planYear == year + 1).count() == count)

            let report = try await browser.get("/action-plan/progress?year=\(year)&at=mid").body.string
            #expect(report.contains("Mid-year progress report"))
            #expect(report.contains("Now business as usual (left out of next year&#39;s plan)") || report.contains("Now business as usual (left out of next year's plan)"))
            #expect(report.contains("Awareness course for all staff"))

            // A recommendation that is not accepted needs the reason; closing dates it.
            let refused = try await browser.post("/action-plan/recommendations", [
                "reference": "IA-9", "audit_name": "Procurement audit", "raised_on": Day(env.clock.now()).iso, "recommendation": "Check statements",
                "priority": "high", "status": "not_accepted", "response": "",
            ])
            #expect(refused.body.string.contains("Say why the recommendation was not accepted"))
            #expect(refused.body.string.contains("value=\"IA-9\""))
            let recorded = try await browser.post("/action-plan/recommendations", [
                "reference": "IA-9", "audit_name": "Procurement audit", "raised_on": Day(env.clock.now()).iso, "recommendation": "Check statements",
                "priority": "high", "status": "agreed", "agreed_action": "Check every statement", "owner": "Procurement Manager",
            ])
            #expect(recorded.status == .seeOther)
            let rec = try #require(try await AuditRecommendation.query(on: env.db).filter(\.$reference == "IA-9").first())
            try await browser.post(recorded.location!, ["reference": "IA-9", "audit_name": "Procurement audit", "raised_on": rec.raisedOn,
                                                         "recommendation": "Check statements", "priority": "high", "status": "implemented",
                                                         "agreed_action": "Check every statement", "owner": "Procurement Manager",
                                                         "response": "Checked in the supplier register"])
            #expect(try await AuditRecommendation.find(rec.id, on: env.db)?.closedOn == Day(env.clock.now()).iso)

            let auditor = try env.browser()
            try await auditor.signIn(as: .auditor)
            #expect(try await auditor.get("/action-plan?year=\(year)").status == .ok)
            #expect(try await auditor.post("/action-plan/actions?year=\(year)", ["area": "detection", "title": "x", "owner": "y"]).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theDemoStatementPassesTheCheckerAndPublishesAPageAndPDF(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            let year = FinancialYear.containing(env.clock.now()).endYear
            let opened = try await browser.post("/annual-statement", ["year": String(year)])
            #expect(opened.location == "/annual-statement/\(year)")
            let draft = try await browser.get("/annual-statement/\(year)").body.string
            #expect(draft.contains("Our structure, business and supply chains"))
            #expect(draft.contains("Training compliance:"))
            #expect(draft.contains("Approved by the board or equivalent governing body"), "the checker's verdicts are on the page")

            let early = try await browser.post("/annual-statement/\(year)/publish", [:])
            #expect(early.body.string.contains("Record the governing body&#39;s approval before publishing") || early.body.string.contains("Record the governing body's approval before publishing"))
            let committee = try await browser.post("/annual-statement/\(year)/approval", ["approving_body": "Audit Committee", "approved_on": "2030-01-01"])
            #expect(committee.body.string.contains("not a committee"))
            #expect(committee.body.string.contains("value=\"Audit Committee\""))
            let today = Day(env.clock.now())
            try await browser.post("/annual-statement/\(year)/approval", ["approving_body": "Cabinet", "approved_on": today.adding(days: -5).iso])
            let beforeApproval = try await browser.post("/annual-statement/\(year)/signature",
                                                        ["signatory_name": "Alex Morgan", "signatory_role": "Chief Executive", "signed_on": today.adding(days: -6).iso])
            #expect(beforeApproval.body.string.contains("The statement is signed after it is approved"))
            try await browser.post("/annual-statement/\(year)/signature",
                                   ["signatory_name": "Alex Morgan", "signatory_role": "Chief Executive", "signed_on": today.adding(days: -4).iso])

            // What the checker makes of the signed draft: approval, signature and the six areas met.
            let statement = try #require(try await AnnualStatement.query(on: env.db).filter(\.$planYear == year).first())
            let facts = try await StatementFactsBuilder.build(on: env.db, year: FinancialYear(endYear: year), today: today, partnership: true)
            let text = StatementDocument.text(StatementDocument.blocks(facts, texts: statement.editedTexts, approval: statement.approval, signature: statement.signature))
            let report = try await env.app.statementCheck().check(text: text, source: "test", kind: "text", now: env.clock.now())
            let unmet = report.ukCriteria.filter { $0.id != "period" && $0.verdict != .met }.map(\.title)
            #expect(unmet.isEmpty, "not met: \(unmet)")

            // Publishing cannot be undone, so it is asked once more; nothing is published until then.
            let asked = try await browser.post("/annual-statement/\(year)/publish", [:])
            #expect(asked.status == .ok && asked.body.string.contains("This cannot be undone."))
            #expect(try await AnnualStatement.query(on: env.db).filter(\.$planYear == year).first()?.isPublished == false)
            let published = try await browser.post("/annual-statement/\(year)/publish", ["confirmed": "yes"])
            #expect(published.location == "/modern-slavery-statement/\(year)")
            // The public page needs no sign-in.
            let reader = try env.browser()
            let page = try await reader.get("/modern-slavery-statement/\(year)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("This statement was approved by the Cabinet of Lantern Demo Borough Council on"))
            #expect(page.body.string.contains("Signed by Alex Morgan, Chief Executive, on"))
            let tisc = try await reader.get("/transparency-in-supply-chains/\(year)").body.string
            #expect(tisc.contains("Where the risks in our supply chains are"))
            let pdf = try await reader.get("/modern-slavery-statement/\(year).pdf")
            #expect(pdf.headers.contentType?.subType == "pdf")
            let pdfText = try Self.pdftotext(Data(buffer: pdf.body))
            #expect(pdfText.contains("This statement was approved by the Cabinet"))
            #expect(pdfText.contains("Signed by Alex Morgan, Chief Executive"))
            #expect(try Self.pdftotext(Data(buffer: try await reader.get("/transparency-in-supply-chains/\(year).pdf").body)).contains("How we mitigate them"))
            // Published means fixed: the draft routes refuse changes.
            #expect(try await browser.post("/annual-statement/\(year)/approval", ["approving_body": "Board", "approved_on": today.iso]).status == .conflict)

            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            #expect(try await caseworker.get("/annual-statement").status == .forbidden)
        }
    }

@Test(arguments: TestDatabase.available)
    func theRemainingFormsCheckWhatIsTypedAndKeepIt(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let today = Day(env.clock.now())
            // A leaver's training stops counting.
            let manager = try env.browser()
            try await manager.signIn(as: .trainingManager)
            let person = try #require(try await StaffMember.query(on: env.db).filter(\.$staffNumber == "E1003").first())
            let badLeaver = try await manager.post("/training/staff/\(person.id!.uuidString)/leaver", ["left_on": "soon"])
            #expect(badLeaver.body.string.contains("Enter the date as a real date"))
            try await manager.post("/training/staff/\(person.id!.uuidString)/leaver", ["left_on": today.adding(days: -1).iso])
            #expect(!(try await TrainingPicture.load(on: env.db, today: today)).entries.contains { $0.staff.id == person.id })

            // Editing an action: the same checks as adding one.
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let action = try #require(try await PlanAction.query(on: env.db).first())
            let bad = try await lead.post("/action-plan/actions/\(action.id!.uuidString)", ["area": action.area.rawValue, "title": "", "owner": "Owner <x>", "status": "sideways"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Describe the action"))
            #expect(bad.body.string.contains("Choose the action&#39;s status") || bad.body.string.contains("Choose the action's status"))
            #expect(bad.body.string.contains("Owner &lt;x&gt;"))
            try await lead.post("/action-plan/actions/\(action.id!.uuidString)", ["area": action.area.rawValue, "title": action.title, "owner": action.owner,
                                                                                   "status": "done", "business_as_usual": "yes"])
            let saved = try #require(try await PlanAction.find(action.id, on: env.db))
            #expect(saved.status == .done && saved.businessAsUsual)

            // The statement's text: every heading needs words; changing it after approval clears the approval.
            let officer = try env.browser()
            try await officer.signIn(as: .procurementOfficer)
            let year = FinancialYear.containing(env.clock.now()).endYear
            try await officer.post("/annual-statement", ["year": String(year)])
            var text = Dictionary(uniqueKeysWithValues: StatementHeading.allCases.map { ($0.rawValue, "Our words on \($0.title).") })
            text["policies"] = ""
            let empty = try await officer.post("/annual-statement/\(year)/text", text)
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("Write the text for &quot;Our policies on slavery and human trafficking&quot;")
                || empty.body.string.contains("Write the text for \"Our policies on slavery and human trafficking\""))
            #expect(empty.body.string.contains("Our words on Training on modern slavery and human trafficking."))
            text["policies"] = "We have a zero tolerance approach. <script>alert(1)</script>"
            #expect(try await officer.post("/annual-statement/\(year)/text", text).status == .seeOther)
            #expect(!(try await officer.get("/annual-statement/\(year)").body.string.contains("<script>alert(1)</script>")))
            try await officer.post("/annual-statement/\(year)/approval", ["approving_body": "Cabinet", "approved_on": today.iso])
            text["structure"] = "Changed after approval."
            let changed = try await officer.post("/annual-statement/\(year)/text", text)
            #expect(changed.status == .seeOther)
            let statement = try #require(try await AnnualStatement.query(on: env.db).filter(\.$planYear == year).first())
            #expect(statement.approval == nil, "the governing body must approve the new text")
        }
    }

    /// The PDF's text as poppler reads it, as a reader's tools would.
    static func pdftotext(_ pdf: Data) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.pdf")
        try pdf.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pdftotext", "-layout", file.path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: out, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
