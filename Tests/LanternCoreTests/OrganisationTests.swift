import Foundation
import Testing
@testable import LanternCore

@Suite("Organisation rules")
struct OrganisationTests {
    func input(kind: OrganisationKind?, firstResponder: Bool, month: Int? = 3, day: Int? = 31, name: String = "Test Council") -> OrganisationSettingsInput {
        OrganisationSettingsInput(name: name, kind: kind, isFirstResponder: firstResponder, financialYearEndMonth: month, financialYearEndDay: day)
    }

    @Test func councilsAreFirstRespondersByDefaultHousingAssociationsAreNot() {
        #expect(OrganisationKind.council.isFirstResponderByDefault)
        #expect(!OrganisationKind.housingAssociation.isFirstResponderByDefault)
        #expect(!OrganisationKind.housingAssociation.mayBeFirstResponder)
    }

    @Test func aHousingAssociationCannotBeRecordedAsAFirstResponder() {
        let errors = input(kind: .housingAssociation, firstResponder: true).validate()
        #expect(errors.map(\.field) == ["isFirstResponder"])
        #expect(input(kind: .housingAssociation, firstResponder: false).validate().isEmpty)
        #expect(input(kind: .other, firstResponder: true).validate().isEmpty)
    }

    @Test func nameKindAndYearEndAreRequiredAndChecked() {
        let errors = input(kind: nil, firstResponder: false, month: 13, day: 1, name: "  ").validate()
        #expect(errors.map(\.field) == ["name", "kind", "financialYearEndMonth"])
        #expect(input(kind: .council, firstResponder: true, month: 2, day: 29).validate().map(\.field) == ["financialYearEndDay"])
        #expect(input(kind: .council, firstResponder: true, month: 4, day: 31).validate().map(\.field) == ["financialYearEndDay"])
        #expect(input(kind: .council, firstResponder: true, month: nil, day: nil).validate().map(\.field) == ["financialYearEndDay"])
    }
}

@Suite("Financial years")
struct FinancialYearTests {
    func date(_ y: Int, _ m: Int, _ d: Int, hour: Int = 12) -> Date {
        Calendar.ukCivil.date(from: DateComponents(year: y, month: m, day: d, hour: hour))!
    }

    @Test func theUKPublicSectorYearRunsAprilToMarch() {
        #expect(FinancialYear.containing(date(2025, 3, 31)).description == "2024/25")
        #expect(FinancialYear.containing(date(2025, 4, 1)).description == "2025/26")
        #expect(FinancialYear.containing(date(2025, 4, 1, hour: 0)).endYear == 2026)
    }

    @Test func boundariesAreMidnightUKTime() {
        let year = FinancialYear(endYear: 2025)
        #expect(year.start == date(2024, 4, 1, hour: 0))
        #expect(year.end == date(2025, 4, 1, hour: 0))
    }

    @Test func aCalendarYearEndReadsAsOneYear() {
        let year = FinancialYear.containing(date(2026, 6, 1), endMonth: 12, endDay: 31)
        #expect(year.description == "2026")
        #expect(year.start == date(2026, 1, 1, hour: 0))
    }
}
