import Fluent
import Foundation
import LanternCore
import Vapor

/// The demo partnership: the police, the GLAA and a charity, five wards, and last year's returns
/// (the police's enquiries as records, the charity's referrals as counts).
enum PartnershipDemoData {
    static func seedPartners(on db: any Database, now: Date) async throws -> PartnerOrganisation {
        var police: PartnerOrganisation?
        for (name, kind, contact, email) in [
            ("Demo Borough Police", PartnerKind.police, "DI Lee Harper", "modern.slavery@police.demo.example"),
            ("Gangmasters and Labour Abuse Authority", .glaa, "Intelligence Desk", "intelligence@glaa.demo.example"),
            ("Hope Street Refuge", .voluntary, "Referrals Coordinator", "referrals@hopestreet.demo.example"),
        ] {
            let p = PartnerOrganisation()
            p.name = name; p.kind = kind; p.contactName = contact; p.contactEmail = email; p.contactPhone = ""
            p.isActive = true; p.createdAt = now
            try await p.create(on: db)
            if kind == .police { police = p }
        }
        for ward in ["Central", "Eastfield", "Northgate", "Riverside", "Southmoor"] {
            let area = PartnershipArea()
            area.name = ward; area.kind = "ward"; area.createdAt = now
            try await area.create(on: db)
        }
        return police!
    }

    /// Last financial year's police enquiries: a fixed pattern, so every demo shows the same picture.
    static func seedReturns(on db: any Database, police: PartnerOrganisation, by user: User?, now: Date) async throws {
        let year = FinancialYear.containing(now)
        let period = ReportPeriod.financialYear(endYear: year.endYear - 1, endMonth: year.endMonth, endDay: year.endDay)
        let last = period.end.adding(days: -1)
        let categories: [ExploitationCategory] = [.criminal, .criminal, .labour, .criminal, .sexual, .criminal, .labour, .domesticServitude]
        let nationalities = ["British", "British", "British", "Albanian", "British", "Vietnamese", "Unknown", "Romanian"]
        let wards = ["Central", "Eastfield", "Northgate", "Riverside", "Southmoor", ""]
        let records = (0..<32).map { i in
            ReturnRecord(occurredOn: period.start.adding(days: (i * 11) % period.start.days(until: period.end)),
                         category: categories[i % categories.count], ageGroup: [AgeGroup.child, .adult, .child, .unknown][i % 4],
                         gender: [RecordedGender.male, .male, .female][i % 3], nationality: nationalities[(i * 3) % nationalities.count],
                         area: wards[(i * 5) % wards.count], outcome: [ReturnOutcome.nrmReferral, .investigation, .safeguarding, .noFurtherAction][i % 4],
                         sourceKind: "police enquiry")
        }
        let dataReturn = DataReturn()
        dataReturn.$partner.id = police.id!
        dataReturn.periodStart = period.start.iso; dataReturn.periodEnd = last.iso
        dataReturn.form = "records"; dataReturn.sourceKind = "police enquiry"; dataReturn.note = "Enquiries logged for the borough."
        dataReturn.total = records.count; dataReturn.channel = "form"; dataReturn.submittedAt = now; dataReturn.submittedBy = user?.id
        try await dataReturn.create(on: db)
        for record in records { try await DataReturnRecord(record, returnID: dataReturn.id!).create(on: db) }
    }

    /// An agreement with the police, in force, and one demo case shared under it.
    static func seedSharing(on db: any Database, app: Application, police: PartnerOrganisation, by user: User?, now: Date) async throws {
        let today = Day(now)
        let agreement = SharingAgreement()
        agreement.$partner.id = police.id!
        agreement.purpose = "Joint safeguarding of adults and children at risk of exploitation, and the investigation of modern slavery offences"
        agreement.article6 = "public_task"; agreement.article9 = "substantial_public_interest"; agreement.schedule1 = "p2_18_safeguarding"
        agreement.categories = "identity,exploitation,referrals,markers"
        agreement.startsOn = today.adding(months: -10).iso; agreement.reviewOn = today.adding(months: 2).iso
        agreement.document = "ISA-2026-04 (signed by both parties)"
        agreement.createdAt = now; agreement.createdBy = user?.id
        try await agreement.create(on: db)
        guard let first = try await SafeguardingCase.query(on: db).filter(\.$status == .open).sort(\.$reference).first() else { return }
        let share = CaseShare()
        share.caseID = first.id!; share.$partner.id = police.id!; share.$agreement.id = agreement.id!
        share.parts = "identity,exploitation"; share.sharedAt = now; share.sharedBy = user?.id
        try await share.create(on: db)
        try await Disclosure.record(on: db, cipher: app.lantern.cipher, caseID: first.id!, on: today, recipient: police.name,
                                    what: "Case \(first.reference) shared in Lantern: identity, the exploitation. Agreement: \(agreement.purpose)",
                                    lawfulBasis: agreement.article6, by: user?.id, at: now)
    }
}
