import Testing
@testable import LanternCore

private func d(_ s: String) -> Day { Day(parsing: s)! }

@Suite("Subject access deadlines and retention")
struct PrivacyRuleTests {
    @Test func oneCalendarMonthToTheCorrespondingDate() {
        #expect(RequestDeadline.due(clockStart: d("2026-03-09")) == d("2026-04-09"))
        #expect(RequestDeadline.due(clockStart: d("2026-11-10")) == d("2026-12-10"))
        #expect(RequestDeadline.due(clockStart: d("2026-03-03")) != d("2026-04-03"), "the corresponding date, unless it is not a working day")
    }

    @Test func monthEndsTakeTheLastDayOfTheShorterMonth() {
        #expect(RequestDeadline.due(clockStart: d("2027-01-31")) == d("2027-03-01"), "28 February 2027 is a Sunday: the next working day")
        #expect(RequestDeadline.due(clockStart: d("2026-01-31")) == d("2026-03-02"), "28 February 2026 is a Saturday")
        #expect(RequestDeadline.due(clockStart: d("2028-01-31")) == d("2028-02-29"), "a leap year: 29 February, a Tuesday")
        #expect(RequestDeadline.due(clockStart: d("2026-08-31")) == d("2026-09-30"))
    }

    @Test func weekendsAndBankHolidaysMoveToTheNextWorkingDay() {
        // 25 December 2026 is a Friday; 26 and 27 are the weekend; 28 December is the substitute Boxing Day.
        #expect(RequestDeadline.due(clockStart: d("2026-11-25")) == d("2026-12-29"))
        #expect(RequestDeadline.due(clockStart: d("2026-02-28")) == d("2026-03-30"), "28 March 2026 is a Saturday")
        #expect(RequestDeadline.due(clockStart: d("2026-03-03")) == d("2026-04-07"), "3 April 2026 is Good Friday, 6 April Easter Monday")
    }

    @Test func theClockStartsWhenIdentityEvidenceArrives() {
        #expect(RequestDeadline.clockStart(received: d("2026-05-01"), identityEvidenceReceived: d("2026-05-12")) == d("2026-05-12"))
        #expect(RequestDeadline.clockStart(received: d("2026-05-01"), identityEvidenceReceived: nil) == d("2026-05-01"))
        #expect(RequestDeadline.clockStart(received: d("2026-05-01"), identityEvidenceReceived: d("2026-04-20")) == d("2026-05-01"))
    }

    @Test func extensionsAddTwoMonthsAndMustBeToldInTheFirstMonth() {
        #expect(RequestDeadline.extendedDue(clockStart: d("2026-03-03")) == d("2026-06-03"))
        #expect(RequestDeadline.extendedDue(clockStart: d("2025-11-30")) == d("2026-03-02"))
        #expect(RequestDeadline.canExtend(clockStart: d("2026-03-03"), personToldOn: d("2026-04-07")))
        #expect(!RequestDeadline.canExtend(clockStart: d("2026-03-03"), personToldOn: d("2026-04-08")))
    }

    @Test func retentionExpiresTheDayAfterTheLastDayKept() {
        #expect(RetentionRules.keptUntil(start: d("2020-02-29"), months: 72) == d("2026-02-28"))
        #expect(!RetentionRules.hasExpired(start: d("2020-02-29"), months: 72, today: d("2026-02-28")))
        #expect(RetentionRules.hasExpired(start: d("2020-02-29"), months: 72, today: d("2026-03-01")))
        #expect(RetentionRules.cutoff(months: 24, today: d("2026-11-24")) == d("2024-11-24"))
        #expect(RetainedRecord.closedCases.action == .anonymise && RetainedRecord.trainingRecords.action == .delete)
        #expect(RetainedRecord.allCases.allSatisfy { $0.defaultMonths >= 12 })
    }
}
