import Fluent
import Foundation
import LanternCore

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
}
