import Crypto
import Foundation
import Testing
@testable import LanternCore

private func d(_ s: String) -> Day { Day(parsing: s)! }

@Suite("England and Wales working days")
struct WorkingDayTests {
    @Test func bankHolidaysMatchThePublishedLists() {
        #expect(EnglandAndWalesCalendar.bankHolidays(in: 2025).map(\.iso) == [
            "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"])
        // Christmas on a Friday: Boxing Day's substitute is Monday 28th.
        #expect(EnglandAndWalesCalendar.bankHolidays(in: 2026).map(\.iso) == [
            "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"])
        // Christmas on a Saturday: both move to Monday and Tuesday.
        #expect(EnglandAndWalesCalendar.bankHolidays(in: 2027).map(\.iso) == [
            "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"])
        // Proclaimed changes: the jubilee weekend replaced the late May holiday; the state funeral.
        #expect(EnglandAndWalesCalendar.bankHolidays(in: 2022).map(\.iso) == [
            "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19",
            "2022-12-26", "2022-12-27"])
        #expect(EnglandAndWalesCalendar.isBankHoliday(d("2023-05-08")))
        #expect(!EnglandAndWalesCalendar.isBankHoliday(d("2020-05-04")))
        #expect(EnglandAndWalesCalendar.isBankHoliday(d("2020-05-08")))
    }

    @Test func weekdaysAreRight() {
        #expect(d("1970-01-01").weekday == 4)
        #expect(d("2026-11-24").weekday == 2)
        #expect(d("2000-02-29").weekday == 2)
        #expect(d("2027-12-25").weekday == 6)
    }

    @Test func reasonableGroundsTargetSkipsWeekendsAndBankHolidays() {
        // An ordinary week: Monday to the next Monday.
        #expect(NRMLifecycle.reasonableGroundsDue(submitted: d("2026-11-23")).iso == "2026-11-30")
        // A Friday referral is due the next Friday.
        #expect(NRMLifecycle.reasonableGroundsDue(submitted: d("2026-11-27")).iso == "2026-12-04")
        // Over Easter: Good Friday and Easter Monday are not counted.
        #expect(NRMLifecycle.reasonableGroundsDue(submitted: d("2026-04-01")).iso == "2026-04-10")
        // Over the year end: Christmas, the Boxing Day substitute and New Year's Day.
        #expect(NRMLifecycle.reasonableGroundsDue(submitted: d("2026-12-24")).iso == "2027-01-05")
        // Submitted on a bank holiday itself.
        #expect(NRMLifecycle.reasonableGroundsDue(submitted: d("2026-12-25")).iso == "2027-01-05")
        #expect(EnglandAndWalesCalendar.workingDays(from: d("2026-12-24"), to: d("2027-01-05")) == 5)
        #expect(EnglandAndWalesCalendar.workingDays(from: d("2027-01-05"), to: d("2026-12-24")) == 0)
    }

    @Test func easterFollowsTheAlgorithmAcrossCenturies() {
        #expect(EnglandAndWalesCalendar.easterSunday(2024).iso == "2024-03-31")
        #expect(EnglandAndWalesCalendar.easterSunday(2038).iso == "2038-04-25")
        #expect(EnglandAndWalesCalendar.easterSunday(2000).iso == "2000-04-23")
        #expect(EnglandAndWalesCalendar.easterSunday(2008).iso == "2008-03-23")
    }
}

@Suite("Concern routing")
struct ConcernRoutingTests {
    private func routes(_ age: AgeCategory?, _ child: Answer, _ indicators: Set<String> = [],
                        subject: ConcernSubject = .person, supplier: Bool = false) -> [ConcernRoute] {
        ConcernRules.routes(for: .init(age: age, childInvolved: child, indicatorIDs: indicators, subject: subject,
                                       aboutSupplierOrContract: supplier))
    }

    @Test func childrenGoToTheMASH() {
        #expect(routes(.under18, .no) == [.childrensSafeguarding])
        #expect(routes(.under18, .yes) == [.childrensSafeguarding])
    }

    @Test func unknownAgeIsTreatedAsAChildWhenChildSignsOrChildInvolvementIsNotRuledOut() {
        #expect(routes(.notSure, .no, ["child.no_schooling"]) == [.childrensSafeguarding])
        #expect(routes(nil, .notSure) == [.childrensSafeguarding])
        #expect(routes(.notSure, .no, ["general.long_hours"]) == [.adultSafeguarding])
    }

    @Test func adultsGoToAdultSocialCareAndAnAdultWithAChildGoesToBoth() {
        #expect(routes(.adult, .no) == [.adultSafeguarding])
        #expect(routes(.adult, .notSure) == [.adultSafeguarding])
        #expect(routes(.adult, .yes) == [.childrensSafeguarding, .adultSafeguarding])
    }

    @Test func supplierConcernsGoToProcurementAndAlsoToSafeguardingWhenPeopleAreAtRisk() {
        #expect(routes(nil, .notSure, subject: .businessOrSupplier) == [.procurement])
        #expect(routes(.adult, .no, ["labour.no_contract"], subject: .businessOrSupplier) == [.adultSafeguarding, .procurement])
        #expect(routes(nil, .no, ["labour.no_ppe"], subject: .businessOrSupplier) == [.adultSafeguarding, .procurement])
        #expect(routes(.under18, .yes, supplier: true) == [.childrensSafeguarding, .procurement])
    }

    @Test func acknowledgementIsDueInSevenDays() {
        #expect(ConcernRules.acknowledgeBy(received: d("2026-12-28")).iso == "2027-01-04")
    }

    @Test func concernStatusesOnlyMoveForward() {
        #expect(ConcernStatus.received.next == [.acknowledged])
        #expect(ConcernStatus.closed.next.isEmpty)
        #expect(TriageOutcome.openCase.resultingStatus == .caseOpened)
        #expect(TriageOutcome.referToPolice.resultingStatus == .referredOut)
    }
}

@Suite("Who is referred, and how")
struct VictimDecisionTests {
    @Test func firstRespondersReferChildrenWithoutConsent() {
        #expect(VictimDecision.decide(isFirstResponder: true, age: .under18, nrmConsent: nil) == .nrmReferral(consentNeeded: false))
        #expect(VictimDecision.decide(isFirstResponder: true, age: .notSure, nrmConsent: .refused) == .nrmReferral(consentNeeded: false))
    }

    @Test func adultsNeedConsentOrGetADutyToNotify() {
        #expect(VictimDecision.decide(isFirstResponder: true, age: .adult, nrmConsent: .given) == .nrmReferral(consentNeeded: true))
        #expect(VictimDecision.decide(isFirstResponder: true, age: .adult, nrmConsent: .refused) == .dutyToNotify(identifiable: false))
        #expect(VictimDecision.decide(isFirstResponder: true, age: .adult, nrmConsent: .refused, willingToCooperate: true) == .dutyToNotify(identifiable: true))
        #expect(VictimDecision.decide(isFirstResponder: true, age: .adult, nrmConsent: .notAsked) == .askForConsent)
    }

    @Test func othersHandOver() {
        #expect(VictimDecision.decide(isFirstResponder: false, age: .under18, nrmConsent: nil) == .handOverToFirstResponder)
    }
}

@Suite("NRM lifecycle")
struct NRMLifecycleTests {
    let today = d("2026-11-24")

    private func move(_ record: NRMLifecycle.Record, _ to: NRMState, _ on: String, ref: String? = nil) -> Result<NRMLifecycle.Record, TransitionRefusal> {
        NRMLifecycle.apply(.init(to: to, on: d(on), homeOfficeReference: ref), to: record, today: today)
    }

    @Test func aReferralGoesFromDraftToPositiveConclusiveGrounds() throws {
        var r = NRMLifecycle.Record(kind: .nrm, state: .draft)
        r = try move(r, .submitted, "2026-06-01", ref: "NRM-123").get()
        #expect(r.submittedOn == d("2026-06-01"))
        r = try move(r, .awaitingRG, "2026-06-01").get()
        r = try move(r, .rgPositive, "2026-06-05").get()
        r = try move(r, .recoveryPeriod, "2026-06-05").get()
        #expect(r.rgPositive == true && r.cgPositive == nil)
        r = try move(r, .awaitingCG, "2026-07-05").get()
        r = try move(r, .cgPositive, "2026-09-01").get()
        r = try move(r, .moveOn, "2026-09-01").get()
        #expect(NRMLifecycle.deadline(for: r, today: today)?.due == d("2026-10-16"))
        r = try move(r, .closed, "2026-11-01").get()
        #expect(r.state == .closed)
        #expect(r.rgPositive == true && r.cgPositive == true, "outcomes outlive the state")
        #expect(NRMLifecycle.allowedNext(from: .closed, kind: .nrm).isEmpty)
    }

    @Test func impossibleMovesAreRefusedWithTheWayForward() {
        let r = NRMLifecycle.Record(kind: .nrm, state: .draft)
        guard case .failure(let refusal) = move(r, .cgPositive, "2026-06-01") else { Issue.record("allowed"); return }
        #expect(refusal.message.contains("cannot go from \"Referral drafted\" to \"Positive Conclusive Grounds\""))
        #expect(refusal.message.contains("Submitted"))
    }

    @Test func submissionNeedsTheHomeOfficeReferenceAndNoFutureDates() {
        let r = NRMLifecycle.Record(kind: .nrm, state: .draft)
        guard case .failure(let missing) = move(r, .submitted, "2026-06-01") else { Issue.record("allowed"); return }
        #expect(missing.message.contains("Home Office reference"))
        guard case .failure(let future) = move(r, .submitted, "2026-12-01", ref: "X") else { Issue.record("allowed"); return }
        #expect(future.message.contains("future"))
    }

    @Test func conclusiveGroundsWaitsForTheThirtyDayRecoveryPeriod() {
        let r = NRMLifecycle.Record(kind: .nrm, state: .awaitingCG, submittedOn: d("2026-06-01"), rgDecisionOn: d("2026-06-05"))
        guard case .failure(let early) = move(r, .cgPositive, "2026-07-04") else { Issue.record("allowed"); return }
        #expect(early.message.contains("5 July 2026"))
        #expect((try? move(r, .cgPositive, "2026-07-05").get())?.state == .cgPositive)
    }

    @Test func moveOnLastsAtLeastFortyFiveDays() {
        let r = NRMLifecycle.Record(kind: .nrm, state: .moveOn, rgDecisionOn: d("2026-06-05"), cgDecisionOn: d("2026-09-01"))
        guard case .failure(let early) = move(r, .closed, "2026-10-15") else { Issue.record("allowed"); return }
        #expect(early.message.contains("16 October 2026"))
    }

    @Test func reconsiderationReturnsToTheDecisionItIsOf() throws {
        var r = NRMLifecycle.Record(kind: .nrm, state: .awaitingRG, submittedOn: d("2026-06-01"))
        r = try move(r, .rgNegative, "2026-06-08").get()
        #expect(r.rgPositive == false)
        r = try move(r, .reconsiderationRequested, "2026-06-20").get()
        #expect(r.reconsidering == .rg)
        #expect(NRMLifecycle.allowedNext(from: r.state, kind: .nrm, reconsidering: r.reconsidering) == [.rgPositive, .rgNegative])
        r = try move(r, .rgPositive, "2026-07-01").get()
        #expect(r.reconsidering == nil)
        #expect(r.rgPositive == true, "the reconsidered decision replaces the first")
    }

    @Test func aPilotPanelMayDecideBothAtOnce() throws {
        let r = NRMLifecycle.Record(kind: .nrm, state: .awaitingRG, submittedOn: d("2026-06-01"))
        let decided = try move(r, .cgPositive, "2026-08-01").get()
        #expect(decided.combinedDecision)
        #expect(decided.rgDecisionOn == d("2026-08-01"))
        #expect(decided.rgPositive == true && decided.cgPositive == true)
    }

    @Test func dutyToNotifyHasNoDecisions() {
        #expect(NRMLifecycle.allowedNext(from: .draft, kind: .dutyToNotify) == [.submitted, .withdrawn])
        #expect(NRMLifecycle.allowedNext(from: .submitted, kind: .dutyToNotify) == [.closed])
        let r = NRMLifecycle.Record(kind: .dutyToNotify, state: .draft)
        #expect((try? move(r, .submitted, "2026-06-01").get())?.state == .submitted)
    }

    @Test func theRGTargetIsChasedWhenLate() {
        let r = NRMLifecycle.Record(kind: .nrm, state: .awaitingRG, submittedOn: d("2026-11-10"))
        let deadline = NRMLifecycle.deadline(for: r, today: today)
        #expect(deadline?.due == d("2026-11-17"))
        #expect(deadline?.overdue == true)
    }
}

@Suite("Receipt codes and evidence files")
struct ReceiptAndEvidenceTests {
    @Test func codesAreSixteenDigitsShownInFours() {
        let code = ReceiptCode.generate()
        #expect(code.digits.count == 16)
        #expect(code.description.split(separator: "-").map(\.count) == [4, 4, 4, 4])
        #expect(ReceiptCode(typed: " \(code.description.replacingOccurrences(of: "-", with: " ")) ") == code)
        #expect(ReceiptCode(typed: "1234-5678-9012-345") == nil)
        #expect(ReceiptCode(typed: "1234-5678-9012-345a") == nil)
        #expect(Set((0..<200).map { _ in ReceiptCode.generate().digits }).count == 200)
    }

    @Test func theStoredHashNeedsThePepper() {
        let code = ReceiptCode(typed: "1234 5678 9012 3456")!
        let one = LookupKeys(secret: .init(size: .bits256)), two = LookupKeys(secret: .init(size: .bits256))
        #expect(code.hash(pepper: one.receiptPepper) == code.hash(pepper: one.receiptPepper))
        #expect(code.hash(pepper: one.receiptPepper) != code.hash(pepper: two.receiptPepper))
        #expect(!code.hash(pepper: one.receiptPepper).contains(code.digits))
    }

    @Test func theStoredHashIsStandardPBKDF2() {
        // PBKDF2-HMAC-SHA256(HMAC(pepper, code), "lantern-receipt"), checked against Python's hashlib.
        let pepper = SymmetricKey(data: Data((0..<32).map { UInt8($0) }))
        let code = ReceiptCode(typed: "1234567890123456")!
        #expect(code.hash(pepper: pepper, iterations: 1) == "ef2eace1f4d8cd9a414da35303c9faa8ed3bfbeb9d11430537d11d3b1356a6ec")
        #expect(code.hash(pepper: pepper) == "265e2d7d8213a97b9b8c74394774f64222447e8b1d69b8b62bcb00c40c6fc0f1")
    }

    @Test func evidenceIsRecognisedByContentNotName() throws {
        #expect(try EvidenceKind.sniff([0xFF, 0xD8, 0xFF, 0xE0, 1, 2]).get() == .jpeg)
        #expect(try EvidenceKind.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]).get() == .png)
        #expect(try EvidenceKind.sniff(Array("%PDF-1.7\n".utf8)).get() == .pdf)
        #expect(try EvidenceKind.sniff(Array("PK\u{03}\u{04}....word/document.xml".utf8)).get() == .docx)
        #expect(EvidenceKind.sniff(Array("PK\u{03}\u{04}....xl/workbook.xml".utf8)) == .failure(.notAllowed))
        #expect(EvidenceKind.sniff(Array("MZ\u{90}\u{00}".utf8)) == .failure(.notAllowed))
        #expect(EvidenceKind.sniff([UInt8]()) == .failure(.empty))
        #expect(EvidenceKind.sniff([UInt8](repeating: 0xFF, count: EvidenceKind.maximumBytes + 1)) == .failure(.tooLarge(bytes: EvidenceKind.maximumBytes + 1)))
    }

    @Test func backOffGrowsToItsCeiling() {
        let backoff = FailureBackoff()
        #expect(backoff.delay(afterFailures: 0) == 0)
        #expect(backoff.delay(afterFailures: 3) == 4)
        #expect(backoff.delay(afterFailures: 30) == 42)
    }

    @Test func rotationRewrapsDataKeysWithoutTouchingCiphertext() throws {
        let old = try DataProtectionKey(base64: DataProtectionKey.generateBase64())
        let new = try DataProtectionKey(base64: DataProtectionKey.generateBase64())
        let before = FieldCipher(master: old)
        let (wrapped, sealed) = try before.sealRecord(["name": "Maria Popescu"], table: "cases", recordID: "r1")
        let during = FieldCipher(master: new, previous: [old])
        let rewrapped = try during.rewrap(wrapped, recordID: "r1")
        #expect(rewrapped.keyID == new.id)
        let after = FieldCipher(master: new)
        #expect(try after.openRecord([String: String].self, wrapped: rewrapped, sealed: sealed, table: "cases", recordID: "r1") == ["name": "Maria Popescu"])
        #expect(throws: FieldCipher.Problem.self) { try after.openRecord([String: String].self, wrapped: wrapped, sealed: sealed, table: "cases", recordID: "r1") }
        // A ciphertext moved to another record does not open.
        #expect(throws: FieldCipher.Problem.self) { try before.openRecord([String: String].self, wrapped: wrapped, sealed: sealed, table: "cases", recordID: "r2") }
    }
}
