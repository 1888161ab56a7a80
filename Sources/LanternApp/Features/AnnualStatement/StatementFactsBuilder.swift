import Fluent
import Foundation
import LanternCore
import SQLKit

/// Gathers the organisation's own figures for a financial year, for its annual statement and
/// the Transparency in Supply Chains statement: contracts and their risk, reviews, suppliers'
/// statements, training, concerns and referrals, the action plan and audit recommendations.
enum StatementFactsBuilder {
    static func build(on db: any Database, year: FinancialYear, today: Day, partnership: Bool) async throws -> StatementFacts {
        let organisation = try await Organisation.current(on: db)
        let start = Day(year.start), end = Day(year.end).adding(days: -1)
        // Figures "at the end of the year", or today while the year is still running.
        let asOf = min(end, today)
        var k = ProgrammeKPIs()

        let contracts = try await Contract.query(on: db).filter(\.$status == .active)
            .field(\.$id).field(\.$riskLevel).field(\.$category).field(\.$clausesIncluded).field(\.$lastReviewDate).all()
        k.activeContracts = contracts.count
        k.assessedContracts = contracts.filter { $0.riskLevel != nil }.count
        let high = contracts.filter { $0.riskLevel == RiskLevel.high.rawValue }
        k.highRiskContracts = high.count
        let reviewedSince = asOf.adding(months: -12).iso
        k.highRiskReviewed = high.filter { ($0.lastReviewDate ?? "") > reviewedSince }.count
        k.highRiskWithClauses = high.filter(\.clausesIncluded).count
        k.suppliers = try await Supplier.query(on: db).countRows()
        k.suppliersWithStatement = try await Supplier.query(on: db).filter(\.$statementCheckID != nil).countRows()

        let training = try await TrainingPicture.load(on: db, today: asOf)
        k.trainingRequired = training.entries.count
        k.trainingInDate = training.entries.filter(\.state.inDate).count

        let from = ReportPeriod.instant(start), to = ReportPeriod.instant(end.adding(days: 1))
        let concerns = try await Concern.query(on: db).filter(\.$receivedAt >= from).filter(\.$receivedAt < to)
            .field(\.$id).field(\.$acknowledgeBy).field(\.$acknowledgedAt).all()
        k.concernsReceived = concerns.count
        k.concernsAcknowledgedOnTime = concerns.filter { c in c.acknowledgedAt.map { Day($0).iso <= c.acknowledgeBy } ?? false }.count
        k.casesOpened = try await SafeguardingCase.query(on: db).filter(\.$openedAt >= from).filter(\.$openedAt < to).countRows()
        let submitted = HomeOfficeReferral.query(on: db).filter(\.$submittedOn >= start.iso).filter(\.$submittedOn <= end.iso)
        k.nrmReferrals = try await submitted.copy().filter(\.$kind == .nrm).countRows()
        k.dutyToNotify = try await submitted.copy().filter(\.$kind == .dutyToNotify).countRows()

        var facts = StatementFacts(organisation: organisation?.name ?? "The organisation",
                                   organisationKind: (organisation?.kind.displayName ?? "public body").lowercased(),
                                   year: year.description, periodStart: start, periodEnd: end, kpis: k,
                                   nextYear: FinancialYear(endYear: year.endYear + 1, endMonth: year.endMonth, endDay: year.endDay).description)
        for level in RiskLevel.allCases { facts.riskLevels[level.rawValue] = contracts.filter { $0.riskLevel == level.rawValue }.count }
        facts.topCategories = top(contracts.compactMap(\.category))
        facts.highRiskCategories = top(high.compactMap(\.category))
        facts.courses = training.rates { $0.course.name }.map { .init(course: $0.label, required: $0.required, inDate: $0.inDate) }
        let outreach = try await OutreachSummary.load(on: db, from: start, to: end)
        facts.outreach = outreach.events > 0 ? outreach : nil

        let actions = try await PlanAction.query(on: db).filter(\.$planYear == year.endYear).all()
        if !actions.isEmpty {
            var progress = ActionPlanRules.Progress()
            for a in actions { progress.add(status: a.status, businessAsUsual: a.businessAsUsual, due: a.due, asOf: asOf) }
            facts.progress = progress
        }
        facts.businessAsUsual = actions.filter(\.businessAsUsual).map(\.title)
        facts.nextYearActions = try await PlanAction.query(on: db).filter(\.$planYear == year.endYear + 1).sort(\.$createdAt).all()
            .map { .init(area: $0.area, title: $0.title, owner: $0.owner, due: $0.due) }
        let recommendations = try await AuditRecommendation.query(on: db).all()
        facts.recommendationsClosed = recommendations.filter { $0.status.isClosed }.count
        facts.recommendationsOpen = recommendations.count - facts.recommendationsClosed

        let contractActions = try await ContractAction.query(on: db).field(\.$id).field(\.$step).field(\.$status).all()
        facts.contractActionsOpen = contractActions.filter { $0.status == .open }.count
        facts.contractActionsClosed = contractActions.count - facts.contractActionsOpen
        facts.sanctions = contractActions.filter { (EscalationStep(rawValue: $0.step) ?? .correctiveAction) >= .contractualRemedy }.count

        if partnership {
            let period = ReportPeriod.financialYear(endYear: year.endYear, endMonth: year.endMonth, endDay: year.endDay)
            facts.partnershipSummary = try await PartnershipReport.build(on: db, period: period, threshold: Suppression.defaultThreshold).paragraph
        }
        return facts
    }

    /// The three most frequent values, most frequent first.
    /// The three categories named most often. Categories are typed freely, so "Garments;
    /// cotton" counts as two, and "garments" and "Garments" as one, written in lower case for
    /// the middle of a sentence.
    static func top(_ values: [String]) -> [String] {
        let named = values.flatMap { $0.split(separator: ";") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let byKey = Dictionary(grouping: named, by: { $0.lowercased() })
        return byKey.map { ($0.key, $0.value.count) }
            .sorted { ($1.1, $0.0) < ($0.1, $1.0) }.prefix(3).map { key, _ in
                // Keep an acronym as written ("ICT"); otherwise lower case.
                let written = byKey[key]!.sorted().first!
                return written.split(separator: " ").first.map { $0.count > 1 && $0 == $0.uppercased() } == true ? written : key
            }
    }
}
