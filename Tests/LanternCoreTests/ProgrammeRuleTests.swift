import Foundation
import Testing
@testable import LanternCore

private func d(_ s: String) -> Day { Day(parsing: s)! }

@Suite("Training compliance")
struct TrainingComplianceTests {
    let annual = CourseRule(refreshMonths: 12)

    @Test func anAnnualCourseIsInDateForTwelveMonthsAndWarnsInTheLastThirtyDays() {
        let done = [d("2025-12-15")]
        #expect(TrainingCompliance.state(completions: done, rule: annual, startedOn: nil, today: d("2026-06-01")).status == .compliant)
        let soon = TrainingCompliance.state(completions: done, rule: annual, startedOn: nil, today: d("2026-11-15"))
        #expect(soon.status == .dueSoon && soon.due == d("2026-12-15") && soon.inDate)
        #expect(TrainingCompliance.state(completions: done, rule: annual, startedOn: nil, today: d("2026-11-14")).status == .compliant)
        let expired = TrainingCompliance.state(completions: done, rule: annual, startedOn: nil, today: d("2026-12-15"))
        #expect(expired.status == .overdue && !expired.inDate, "it expires on the anniversary")
    }

    @Test func theLatestCompletionCountsAndFutureDatesDoNot() {
        let state = TrainingCompliance.state(completions: [d("2024-01-10"), d("2026-03-01"), d("2027-01-01")], rule: annual, startedOn: nil,
                                             today: d("2026-11-24"))
        #expect(state.lastCompleted == d("2026-03-01") && state.due == d("2027-03-01") && state.status == .compliant)
    }

    @Test func monthEndsAndLeapYearsClampToTheLastDay() {
        #expect(TrainingCompliance.expiry(completed: d("2024-02-29"), refreshMonths: 12) == d("2025-02-28"))
        #expect(TrainingCompliance.expiry(completed: d("2026-01-31"), refreshMonths: 1) == d("2026-02-28"))
        #expect(TrainingCompliance.expiry(completed: d("2027-08-31"), refreshMonths: 6) == d("2028-02-29"))
        #expect(TrainingCompliance.expiry(completed: d("2026-01-31"), refreshMonths: nil) == nil)
    }

    @Test func aOnceOnlyCourseNeverExpires() {
        let state = TrainingCompliance.state(completions: [d("2015-05-01")], rule: CourseRule(refreshMonths: nil), startedOn: nil, today: d("2026-11-24"))
        #expect(state.status == .compliant && state.due == nil)
    }

    @Test func newStartersHaveAWindowThenCountAsNeverTrained() {
        let rule = CourseRule(refreshMonths: 12, newStarterDays: 30)
        let window = TrainingCompliance.state(completions: [], rule: rule, startedOn: d("2026-11-01"), today: d("2026-11-24"))
        #expect(window.status == .dueSoon && window.due == d("2026-12-01") && !window.inDate)
        #expect(TrainingCompliance.state(completions: [], rule: rule, startedOn: d("2026-10-01"), today: d("2026-11-24")).status == .neverTrained)
        #expect(TrainingCompliance.state(completions: [], rule: rule, startedOn: nil, today: d("2026-11-24")).status == .neverTrained)
    }

    @Test func theRateCountsTrainingInDate() {
        let states = [
            TrainingState(status: .compliant, due: nil, lastCompleted: d("2026-01-01")),
            TrainingState(status: .dueSoon, due: d("2026-12-01"), lastCompleted: d("2025-12-01")),
            TrainingState(status: .dueSoon, due: d("2026-12-01"), lastCompleted: nil),
            TrainingState(status: .overdue, due: d("2026-01-01"), lastCompleted: d("2025-01-01")),
            TrainingState(status: .neverTrained, due: nil, lastCompleted: nil),
            TrainingState(status: .neverTrained, due: nil, lastCompleted: nil),
        ]
        #expect(TrainingCompliance.rate(states) == 33)
        #expect(TrainingCompliance.rate([]) == nil)
    }

    @Test func requirementsMatchJobTitleTeamAndDirectorateIgnoringCaseAndSpacing() {
        let buyers = TrainingRequirementRule(jobTitle: "  Category   Manager ", directorate: "Place")
        #expect(buyers.applies(jobTitle: "category manager", team: nil, directorate: "place"))
        #expect(!buyers.applies(jobTitle: "Category Manager", team: nil, directorate: "Corporate"))
        #expect(TrainingRequirementRule().applies(jobTitle: "Anyone", team: nil, directorate: ""))
        #expect(TrainingRequirementRule(team: "STAR Procurement").description == "team \"star procurement\"")
    }
}

@Suite("Action plan and audit recommendations")
struct ActionPlanRuleTests {
    @Test func unfinishedActionsCarryOverUnlessTheyAreBusinessAsUsual() {
        #expect(ActionPlanRules.carriesOver(status: .inProgress, businessAsUsual: false))
        #expect(ActionPlanRules.carriesOver(status: .notStarted, businessAsUsual: false))
        #expect(!ActionPlanRules.carriesOver(status: .inProgress, businessAsUsual: true))
        #expect(!ActionPlanRules.carriesOver(status: .done, businessAsUsual: false))
        #expect(!ActionPlanRules.carriesOver(status: .withdrawn, businessAsUsual: false))
    }

    @Test func overdueIsOnlyForUnfinishedActionsPastTheirDate() {
        #expect(ActionPlanRules.isOverdue(status: .inProgress, due: d("2026-11-23"), today: d("2026-11-24")))
        #expect(!ActionPlanRules.isOverdue(status: .inProgress, due: d("2026-11-24"), today: d("2026-11-24")))
        #expect(!ActionPlanRules.isOverdue(status: .done, due: d("2026-01-01"), today: d("2026-11-24")))
        #expect(!ActionPlanRules.isOverdue(status: .notStarted, due: nil, today: d("2026-11-24")))
    }

    @Test func theMidYearReviewFallsAtTheEndOfTheSixthMonth() {
        #expect(ActionPlanRules.midYear(of: FinancialYear(endYear: 2027)) == d("2026-09-30"))
        #expect(ActionPlanRules.midYear(of: FinancialYear(endYear: 2026, endMonth: 12, endDay: 31)) == d("2026-06-30"))
    }

    @Test func progressCountsAndReadsAsASentence() {
        var p = ActionPlanRules.Progress()
        let today = d("2026-11-24")
        p.add(status: .done, businessAsUsual: true, due: d("2026-06-01"), asOf: today)
        p.add(status: .inProgress, businessAsUsual: false, due: d("2026-10-01"), asOf: today)
        p.add(status: .notStarted, businessAsUsual: false, due: d("2027-01-01"), asOf: today)
        p.add(status: .withdrawn, businessAsUsual: false, due: nil, asOf: today)
        #expect(p.sentence == "4 actions: 1 done, 1 in progress, 1 not started, 1 withdrawn (1 overdue); 1 now business as usual; 2 carry over.")
    }

    @Test func closedRecommendationsAreImplementedOrNotAccepted() {
        #expect(RecommendationStatus.implemented.isClosed && RecommendationStatus.notAccepted.isClosed)
        #expect(!RecommendationStatus.agreed.isClosed && !RecommendationStatus.open.isClosed)
    }
}

@Suite("The organisation's statement")
struct OrganisationStatementTests {
    static func facts() -> StatementFacts {
        var k = ProgrammeKPIs()
        k.activeContracts = 40; k.assessedContracts = 30; k.highRiskContracts = 6; k.highRiskReviewed = 5; k.highRiskWithClauses = 6
        k.suppliers = 25; k.suppliersWithStatement = 12; k.trainingRequired = 200; k.trainingInDate = 171
        k.concernsReceived = 9; k.concernsAcknowledgedOnTime = 8; k.casesOpened = 3; k.nrmReferrals = 2; k.dutyToNotify = 1
        var f = StatementFacts(organisation: "Northshire Council", organisationKind: "council", year: "2025/26", periodStart: d("2025-04-01"),
                               periodEnd: d("2026-03-31"), kpis: k, nextYear: "2026/27")
        f.riskLevels = ["high": 6, "medium": 14, "low": 10]
        f.courses = [.init(course: "Modern slavery awareness", required: 150, inDate: 140)]
        f.nextYearActions = [.init(area: .prevention, title: "Member training", owner: "Head of Democratic Services", due: d("2026-12-31"))]
        return f
    }

    @Test func everyHeadingHasItsFiguresWithPercentagesOfTheWhole() {
        let sections = OrganisationStatement.sections(Self.facts())
        #expect(sections.map(\.heading) == StatementHeading.allCases)
        let all = sections.flatMap(\.figures).joined(separator: " ")
        #expect(all.contains("30 of 40 (75%) active contracts using the PPN 02/23 model: 6 high, 14 medium, 10 low risk"))
        #expect(all.contains("Training compliance: 171 of 200 (86%) required courses in date."))
        #expect(all.contains("Modern slavery awareness: 140 of 150 (93%)"))
        #expect(all.contains("acknowledged 8 of 9 (89%) within 7 days"))
        #expect(OrganisationStatement.plan(Self.facts()).first?.lines == ["Member training (Head of Democratic Services, by 31 December 2026)"])
    }

    @Test func editedTextReplacesTheStartingPointButNotTheFigures() {
        let sections = OrganisationStatement.sections(Self.facts(), text: [.policies: "Our own words."])
        #expect(sections[1].text == "Our own words." && !sections[1].figures.isEmpty)
        #expect(OrganisationStatement.figures(.riskAssessment, Self.facts()) == sections[3].figures)
    }

    @Test func theApprovalAndSignatureReadAsTheGuidanceExpects() {
        #expect(OrganisationStatement.approval(organisation: "Northshire Council", body: "Cabinet", approvedOn: d("2026-06-10"), year: "2025/26")
            == "This statement was approved by the Cabinet of Northshire Council on 10 June 2026 and constitutes our modern slavery and human trafficking statement for the financial year 2025/26.")
        #expect(OrganisationStatement.signature(name: "Alex Morgan", role: "Chief Executive", signedOn: d("2026-06-11"))
            == "Signed by Alex Morgan, Chief Executive, on 11 June 2026.")
    }

    @Test func aYearWithoutConcernsSaysSoRatherThanCountingNoneOfNone() {
        var facts = Self.facts()
        facts.kpis.concernsReceived = 0
        facts.kpis.concernsAcknowledgedOnTime = 0
        let sections = OrganisationStatement.sections(facts)
        let text = sections.flatMap(\.figures).joined(separator: " ")
        #expect(text.contains("anonymously if they wish; none was received this year."))
        #expect(text.contains("Concerns handled: none received; 3 cases opened"))
        #expect(!text.contains("none of 0") && !text.contains("0 concerns"))
    }

    @Test func theSupplyChainStatementSaysWhereTheRisksAreAndHowTheyAreMitigated() {
        var f = Self.facts()
        f.highRiskCategories = ["Cleaning", "Construction"]
        f.sanctions = 1
        let tisc = OrganisationStatement.supplyChains(f)
        #expect(tisc.map(\.title) == ["Where the risks in our supply chains are", "How we mitigate them", "What we found and did"])
        #expect(tisc[0].lines.last == "The high-risk contracts are concentrated in Cleaning and Construction.")
        #expect(tisc[2].lines[0].contains("1 sanction applied"))
    }
}

@Suite("Text PDF")
struct TextPDFTests {
    @Test func theFileIsWellFormedWithExactOffsets() throws {
        let pdf = TextPDF(title: "Statement (2025/26)", blocks: [.title("Modern Slavery Statement"), .heading("Policies"),
                                                                .paragraph("Costs of £25,000 – “quoted” (with brackets) \\ done.")]).render()
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.4"))
        #expect(text.hasSuffix("%%EOF\n"))
        // Every xref offset points at "N 0 obj".
        let bytes = [UInt8](pdf)
        let xrefAt = Int(text.components(separatedBy: "startxref\n")[1].split(separator: "\n")[0])!
        let table = String(decoding: bytes[xrefAt...], as: UTF8.self).split(separator: "\n")
        let count = Int(table[1].split(separator: " ")[1])!
        for n in 1..<count {
            let offset = Int(table[2 + n].prefix(10))!
            #expect(String(decoding: bytes[offset..<offset + "\(n) 0 obj".utf8.count], as: UTF8.self) == "\(n) 0 obj")
        }
        #expect(bytes.contains(0xA3), "£ is WinAnsi 0xA3")
        #expect(text.contains("\\(with brackets\\) \\\\ done"))
    }

    @Test func longTextWrapsAndFlowsOntoMorePages() {
        let paragraph = String(repeating: "Modern slavery is a serious crime. ", count: 40)
        let pdf = TextPDF(title: "Long", blocks: Array(repeating: .paragraph(paragraph), count: 12)).render()
        let text = String(decoding: pdf, as: UTF8.self)
        let pages = Int(text.components(separatedBy: "/Count ")[1].prefix(while: \.isNumber))!
        #expect(pages > 1)
        for line in text.split(separator: "\n") where line.hasPrefix("BT /F1") {
            let shown = line.components(separatedBy: "(").dropFirst().joined(separator: "(")
            #expect(TextPDF.width(Substring(shown.dropLast(8)), size: 10.5, bold: false) <= 475 + 1)
        }
    }
}
