import Testing
@testable import LanternCore

/// A referral moved in from a former system is replayed through the NRM lifecycle's own rules.
@Suite("Referral histories")
struct ReferralHistoryTests {
    let today = Day(year: 2026, month: 12, day: 7)!
    func day(_ iso: String) -> Day { Day(parsing: iso)! }

    @Test func aWholeHistoryPassesThroughEveryStateOnItsDay() throws {
        let m = ReferralHistory.Milestones(kind: .nrm, submittedOn: day("2023-06-21"), homeOfficeReference: "NRM-1",
                                           reasonableGrounds: true, reasonableGroundsOn: day("2023-06-27"),
                                           conclusiveGrounds: true, conclusiveGroundsOn: day("2023-11-30"), ending: .closed, endingOn: day("2024-02-01"))
        let replayed = try ReferralHistory.replay(m, today: today).get()
        #expect(replayed.steps.map(\.state) == [.submitted, .awaitingRG, .rgPositive, .recoveryPeriod, .awaitingCG, .cgPositive, .moveOn, .closed])
        #expect(replayed.steps.map(\.on.iso) == ["2023-06-21", "2023-06-21", "2023-06-27", "2023-06-27", "2023-07-27", "2023-11-30", "2023-11-30", "2024-02-01"])
        #expect(replayed.record.rgPositive == true && replayed.record.cgPositive == true && replayed.record.state == .closed)
    }

    @Test func theLifecycleRulesRefuseWhatCouldNotHaveHappened() {
        func refusal(_ m: ReferralHistory.Milestones) -> String? {
            if case .failure(let r) = ReferralHistory.replay(m, today: today) { return r.message }
            return nil
        }
        // A CG decision inside the 30-day recovery period.
        #expect(refusal(.init(kind: .nrm, submittedOn: day("2024-01-02"), homeOfficeReference: "R", reasonableGrounds: true, reasonableGroundsOn: day("2024-01-05"),
                              conclusiveGrounds: true, conclusiveGroundsOn: day("2024-01-20")))?.contains("recovery period") == true)
        // After a negative RG the next step is a reconsideration or closing, not a CG.
        #expect(refusal(.init(kind: .nrm, submittedOn: day("2024-01-02"), homeOfficeReference: "R", reasonableGrounds: false, reasonableGroundsOn: day("2024-01-05"),
                              conclusiveGrounds: true, conclusiveGroundsOn: day("2024-03-01")))?.contains("cannot go from \"Negative Reasonable Grounds\"") == true)
        // A decision needs a submission; an NRM submission needs the Home Office reference.
        #expect(refusal(.init(kind: .nrm, reasonableGrounds: true, reasonableGroundsOn: day("2024-01-05")))?.contains("submitted") == true)
        #expect(refusal(.init(kind: .nrm, submittedOn: day("2024-01-02")))?.contains("Home Office reference") == true)
        // Duty to Notify has no decisions.
        #expect(refusal(.init(kind: .dutyToNotify, submittedOn: day("2024-01-02"), reasonableGrounds: true, reasonableGroundsOn: day("2024-01-09"))) != nil)
        // Days go forward, none in the future; a decision has its day.
        #expect(refusal(.init(kind: .nrm, submittedOn: day("2024-01-10"), homeOfficeReference: "R", reasonableGrounds: true, reasonableGroundsOn: day("2024-01-05")))?.contains("before") == true)
        #expect(refusal(.init(kind: .nrm, submittedOn: day("2027-01-10"), homeOfficeReference: "R")) != nil)
        #expect(refusal(.init(kind: .nrm, submittedOn: day("2024-01-10"), homeOfficeReference: "R", reasonableGrounds: true)) == "Give the day of the Reasonable Grounds decision")
        // Move-on support lasts 45 days before the case closes.
        #expect(refusal(.init(kind: .nrm, submittedOn: day("2023-06-21"), homeOfficeReference: "R", reasonableGrounds: true, reasonableGroundsOn: day("2023-06-27"),
                              conclusiveGrounds: true, conclusiveGroundsOn: day("2023-11-30"), ending: .closed, endingOn: day("2023-12-10")))?.contains("45 days") == true)
    }

    @Test func otherShapesOfHistory() throws {
        // A combined decision from a devolved-pilot panel.
        let combined = try ReferralHistory.replay(.init(kind: .nrm, submittedOn: day("2024-02-01"), homeOfficeReference: "R",
                                                        conclusiveGrounds: true, conclusiveGroundsOn: day("2024-03-15")), today: today).get()
        #expect(combined.record.combinedDecision && combined.record.state == .cgPositive)
        // A Duty to Notify, submitted and closed; a draft withdrawn before it was sent; one awaiting its RG decision.
        let dtn = try ReferralHistory.replay(.init(kind: .dutyToNotify, submittedOn: day("2024-02-01"), ending: .closed), today: today).get()
        #expect(dtn.steps.map(\.state) == [.submitted, .closed] && dtn.steps.last?.on.iso == "2024-02-01")
        let withdrawn = try ReferralHistory.replay(.init(kind: .nrm, ending: .withdrawn, endingOn: day("2024-02-01")), today: today).get()
        #expect(withdrawn.record.state == .withdrawn)
        let waiting = try ReferralHistory.replay(.init(kind: .nrm, submittedOn: day("2026-12-01"), homeOfficeReference: "R"), today: today).get()
        #expect(waiting.record.state == .submitted && waiting.record.submittedOn == day("2026-12-01"))
    }
}
