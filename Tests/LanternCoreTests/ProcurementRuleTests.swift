import Foundation
import Testing
@testable import LanternCore

/// The shared ILAB list, read from `../shared` as the product reads it.
enum SharedGoods {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/dol-goods/goods_2021.xml").standardized
    static let index: GoodsIndex = GoodsIndex(try! GoodsListReader.read(Data(contentsOf: url)))
}

@Suite("Dates and money")
struct DayAndMoneyTests {
    @Test func daysAreReadInISOUKAndLongFormsButNeverUSOrder() {
        #expect(Day(parsing: "2026-03-31") == Day(year: 2026, month: 3, day: 31))
        #expect(Day(parsing: "31/03/2026") == Day(year: 2026, month: 3, day: 31))
        #expect(Day(parsing: "31 March 2026") == Day(year: 2026, month: 3, day: 31))
        #expect(Day(parsing: "1st Apr 2025") == Day(year: 2025, month: 4, day: 1))
        #expect(Day(parsing: "03/31/2026") == nil)
        #expect(Day(parsing: "2026-02-29") == nil)
        #expect(Day(parsing: "2024-02-29") != nil)
        #expect(Day(parsing: "tomorrow") == nil)
        #expect(Day(parsing: "") == nil)
    }

    @Test func monthsAreAddedToTheLastDayWhenTheMonthIsShorter() {
        #expect(Day(year: 2026, month: 1, day: 31)!.adding(months: 1) == Day(year: 2026, month: 2, day: 28))
        #expect(Day(year: 2026, month: 11, day: 24)!.adding(months: 12).iso == "2027-11-24")
        #expect(Day(year: 2026, month: 3, day: 1)!.adding(months: -6).iso == "2025-09-01")
        #expect(Day(year: 2026, month: 3, day: 28)!.days(until: Day(year: 2026, month: 4, day: 2)!) == 5)
    }

    @Test func moneyIsReadAsPeopleAndFinanceSystemsWriteIt() {
        #expect(Money(parsing: "25000")?.pence == 2_500_000)
        #expect(Money(parsing: "£25,000.5")?.pence == 2_500_050)
        #expect(Money(parsing: "GBP 1,200.00")?.pence == 120_000)
        #expect(Money(parsing: "12k") == nil)
        #expect(Money(parsing: "-5") == nil)
        #expect(Money(parsing: "1,00") == nil)
        #expect(Money(parsing: "1.234") == nil)
        #expect(Money(pounds: 1_234_567).description == "£1,234,567")
        #expect(Money(pence: 2_500_050).description == "£25,000.50")
        #expect(Money(pence: 2_500_050).plain == "25000.50")
    }
}

@Suite("Supplier due diligence rules")
struct SupplierRuleTests {
    @Test func sectorsAreMatchedByCodeLabelOrWord() {
        #expect(Sector(matching: "construction") == .construction)
        #expect(Sector(matching: "Cleaning and security services") == .cleaningSecurity)
        #expect(Sector(matching: "Catering") == .hospitality)
        #expect(Sector(matching: "Underwater basket weaving") == nil)
        #expect(Sector.allCases.count == 23)
        #expect(Sector.allCases.allSatisfy { (1...4).contains($0.band) })
    }

    @Test func section7AnswersNeedTheURLOrTheExplanation() {
        #expect(SelectionQuestionnaireSeven(relevant: .notApplicable).problems().isEmpty)
        #expect(SelectionQuestionnaireSeven(relevant: .yes).problems().map(\.field) == ["compliant"])
        #expect(SelectionQuestionnaireSeven(relevant: .yes, compliant: .yes).problems().map(\.field) == ["statement_url"])
        #expect(SelectionQuestionnaireSeven(relevant: .yes, compliant: .yes, statementURL: "www.x.com").problems().map(\.field) == ["statement_url"])
        #expect(SelectionQuestionnaireSeven(relevant: .yes, compliant: .yes, statementURL: "https://x.com/s").problems().isEmpty)
        #expect(SelectionQuestionnaireSeven(relevant: .yes, compliant: .no).problems().map(\.field) == ["explanation"])
    }

    @Test func notApplicableFromASupplierOverTheThresholdIsFlagged() {
        let sq = SelectionQuestionnaireSeven(relevant: .notApplicable)
        #expect(sq.flags(turnover: .under36m).isEmpty)
        #expect(sq.flags(turnover: .from36to60m).first?.contains("£36m") == true)
        #expect(sq.flags(turnover: nil).isEmpty)
    }

    @Test func aStatementIsOutOfDateSixMonthsAfterItsPeriod() {
        let end = Day(year: 2026, month: 3, day: 31)!
        #expect(!StatementCurrency.isOutOfDate(periodEnd: end, today: Day(year: 2026, month: 9, day: 30)!))
        #expect(StatementCurrency.isOutOfDate(periodEnd: end, today: Day(year: 2026, month: 10, day: 1)!))
    }

    @Test func declarationsExpireAfterAYearAndMustGiveBothAssurances() {
        let signed = SupplierDeclaration(notInvolved: true, notInvestigated: false, signedBy: "A", signedRole: "", signedOn: Day(year: 2025, month: 11, day: 1)!)
        #expect(!signed.isClean)
        #expect(signed.isCurrent(on: Day(year: 2026, month: 11, day: 1)!))
        #expect(!signed.isCurrent(on: Day(year: 2026, month: 11, day: 2)!))
    }

    @Test func companyNumbersArePaddedAndChecked() {
        #expect(CompanyNumber.normalise("1234567") == "01234567")
        #expect(CompanyNumber.normalise("sc 123456") == "SC123456")
        #expect(CompanyNumber.normalise("ABC") == nil)
        #expect(CompanyNumber.normalise("123456789") == nil)
        #expect(OrganisationName.key("ACME Cleaning Ltd.") == OrganisationName.key("Acme cleaning limited"))
        #expect(OrganisationName.key("Smith & Sons") == "smith and sons")
    }
}

@Suite("Goods list and PPN 02/23 risk model")
struct RiskModelTests {
    @Test func theSharedGoodsListLoadsCompletely() {
        let index = SharedGoods.index
        #expect(index.pairs.count == 467)
        #expect(index.goodNames.count == 169)
        #expect(index.countryNames.count == 78)
        #expect(index.pairs.filter(\.forcedLabour).count == 121)
    }

    @Test func malformedGoodsFilesAreRefusedWithTheReason() {
        #expect(throws: GoodsListReader.Problem.self) { try GoodsListReader.read(Data("<Goods><Good>".utf8)) }
        #expect(throws: GoodsListReader.Problem.self) { try GoodsListReader.read(Data("<Other/>".utf8)) }
        #expect(throws: GoodsListReader.Problem.self) { try GoodsListReader.read(Data()) }
    }

    @Test func countryBandsFollowTheList() {
        let index = SharedGoods.index
        #expect(index.countryBand("China").band == 6)
        #expect(index.countryBand("United Kingdom").band == 1)
        #expect(index.countryBand("Myanmar").band == index.countryBand("Burma").band)
        #expect(index.countryBand("Türkiye").band == index.countryBand("Turkey (Türkiye)").band)
        #expect(index.countryBand("DRC").band >= 3)
    }

    @Test func goodsAreFoundInFreeTextAsWholeWords() {
        let found = SharedGoods.index.goods(mentionedIn: "Uniforms: garments, gloves and footwear")
        #expect(found.contains("Garments") && found.contains("Gloves") && found.contains("Footwear"))
        #expect(!SharedGoods.index.goods(mentionedIn: "Software support").contains("Cotton"))
        #expect(SharedGoods.index.goods(mentionedIn: "Catering: coffee").contains("Coffee"))
    }

    @Test func aUKProfessionalServiceIsLow() {
        let result = RiskModel.assess(RiskAnswers(sectors: [.professional], countries: ["United Kingdom"]), goods: SharedGoods.index)
        #expect(result.level == .low)
        #expect(result.score == 2)
        #expect(!result.needsFullAssessment)
    }

    @Test func aUKCleaningContractWithAgencyMigrantLabourIsMediumAndNeedsAFullAssessment() {
        let answers = RiskAnswers(sectors: [.cleaningSecurity], countries: ["United Kingdom"], workforce: [.agency, .migrant])
        let result = RiskModel.assess(answers, goods: SharedGoods.index)
        #expect(result.score == 6)
        #expect(result.level == .medium)
        #expect(result.characteristicsPresent == [.industry, .workforce])
        #expect(result.needsFullAssessment)
    }

    @Test func garmentsFromAListedCountryAreHighWithTheGoodNamed() {
        let answers = RiskAnswers(sectors: [.textiles], countries: ["United Kingdom", "China"], goods: ["Garments"])
        let result = RiskModel.assess(answers, goods: SharedGoods.index)
        #expect(result.level == .high)
        #expect(result.score == 10)
        #expect(result.components.first { $0.name == "Commodity" }?.points == 2)
        #expect(result.reasons.contains { $0.contains("Garments from China") })
    }

    @Test func mitigationLowersTheScoreAndCircuitBreakersForceHigh() {
        let base = RiskAnswers(sectors: [.cleaningSecurity], countries: ["United Kingdom"], workforce: [.agency])
        var mitigated = base
        mitigated.mitigations = [.msatLow, .supplyChainMapped, .workerVoice]
        #expect(RiskModel.assess(mitigated, goods: SharedGoods.index).score == RiskModel.assess(base, goods: SharedGoods.index).score - 2)
        var broken = RiskAnswers(sectors: [.professional], countries: ["United Kingdom"])
        broken.circuitBreakers = [.knownAllegation]
        let result = RiskModel.assess(broken, goods: SharedGoods.index)
        #expect(result.level == .high && result.score == 2)
        #expect(result.reasons.first?.contains("whatever the score") == true)
    }

    @Test func thresholdsAreConfigurable() {
        let answers = RiskAnswers(sectors: [.cleaningSecurity], countries: ["United Kingdom"])
        #expect(RiskModel.assess(answers, goods: SharedGoods.index).level == .medium)
        #expect(RiskModel.assess(answers, goods: SharedGoods.index, thresholds: RiskThresholds(mediumFrom: 6, highFrom: 9)).level == .low)
        #expect(!RiskThresholds(mediumFrom: 8, highFrom: 8).isValid)
    }

    @Test func eachLevelSaysWhatItRequires() {
        #expect(RiskModel.requirements(for: .high).contains { $0.stage == "Contract terms" })
        #expect(RiskModel.requirements(for: .high).contains { $0.requirement.contains("supply chain members") })
        #expect(!RiskModel.requirements(for: .medium).contains { $0.stage == "Contract terms" })
        #expect(RiskModel.requirements(for: .low).count == 1)
    }
}

@Suite("Contract rules")
struct ContractRuleTests {
    let today = Day(year: 2026, month: 11, day: 24)!

    @Test func theRegimeFollowsTheProcurementStartDate() {
        #expect(ProcurementRegime.forProcurementStarted(on: Day(year: 2025, month: 2, day: 23)!) == .ppn0223)
        #expect(ProcurementRegime.forProcurementStarted(on: Day(year: 2025, month: 2, day: 24)!) == .procurementAct2023)
    }

    @Test func statementAndReviewThresholdsComeFromThePolicy() {
        let policy = ProcurementPolicy()
        #expect(!policy.requiresStatement(value: Money(pounds: 25_000)))
        #expect(policy.requiresStatement(value: Money(pounds: 25_001)))
        #expect(policy.reviewReasons(value: Money(pounds: 10), riskLevel: .medium, businessCritical: false).isEmpty)
        #expect(policy.reviewReasons(value: Money(pounds: 10), riskLevel: .high, businessCritical: true) == ["High risk", "Business critical"])
        #expect(policy.reviewReasons(value: Money(pounds: 1_000_000), riskLevel: nil, businessCritical: false).count == 1)
    }

    @Test func reviewsFallDueWithinTwelveMonths() {
        #expect(ReviewSchedule.nextDue(lastReview: Day(year: 2026, month: 5, day: 1)!, contractStart: nil, today: today).iso == "2027-05-01")
        #expect(ReviewSchedule.nextDue(lastReview: nil, contractStart: Day(year: 2027, month: 1, day: 1)!, today: today).iso == "2028-01-01")
        #expect(ReviewSchedule.nextDue(lastReview: nil, contractStart: Day(year: 2020, month: 1, day: 1)!, today: today).iso == "2027-11-24")
        #expect(ReviewSchedule.problem(nextReview: nil, needsReview: true, today: today) != nil)
        #expect(ReviewSchedule.problem(nextReview: Day(year: 2027, month: 11, day: 25)!, needsReview: true, today: today) != nil)
        #expect(ReviewSchedule.problem(nextReview: Day(year: 2027, month: 11, day: 24)!, needsReview: true, today: today) == nil)
        #expect(ReviewSchedule.problem(nextReview: nil, needsReview: false, today: today) == nil)
    }

    @Test func reviewStatusIsOverdueDueSoonOrScheduled() {
        #expect(ReviewSchedule.status(nextReview: Day(year: 2026, month: 11, day: 23)!, needsReview: true, today: today) == .overdue)
        #expect(ReviewSchedule.status(nextReview: today, needsReview: true, today: today) == .dueSoon)
        #expect(ReviewSchedule.status(nextReview: Day(year: 2026, month: 12, day: 24)!, needsReview: true, today: today) == .dueSoon)
        #expect(ReviewSchedule.status(nextReview: Day(year: 2026, month: 12, day: 25)!, needsReview: true, today: today) == .scheduled)
        #expect(ReviewSchedule.status(nextReview: nil, needsReview: true, today: today) == .overdue)
        #expect(ReviewSchedule.status(nextReview: nil, needsReview: false, today: today) == .notRequired)
    }

    @Test func actContractsOverFiveMillionNeedThreeKPIs() {
        #expect(KPIRules.shortfall(regime: .procurementAct2023, value: Money(pounds: 6_000_000), kpiCount: 2) != nil)
        #expect(KPIRules.shortfall(regime: .procurementAct2023, value: Money(pounds: 6_000_000), kpiCount: 3) == nil)
        #expect(KPIRules.shortfall(regime: .ppn0223, value: Money(pounds: 6_000_000), kpiCount: 0) == nil)
    }

    @Test func registerRatingsAndTheEscalationLadder() {
        #expect(RegisterScale.rating(likelihood: 5, impact: 3) == .high)
        #expect(RegisterScale.rating(likelihood: 2, impact: 3) == .medium)
        #expect(RegisterScale.rating(likelihood: 1, impact: 5) == .low)
        #expect(EscalationStep.correctiveAction < EscalationStep.termination)
        #expect(!EscalationStep.correctiveAction.needsApproval && EscalationStep.termination.needsApproval)
    }
}
