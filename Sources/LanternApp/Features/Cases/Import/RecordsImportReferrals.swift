import Fluent
import Foundation
import LanternCore
import Vapor

extension RecordsImport {
    /// Each referral row replayed through the NRM lifecycle, and checked against its case as a
    /// referral started in Lantern is (`HomeOfficeReferralsController.start`): an adult's NRM
    /// referral needs consent, a child is never notified under Duty to Notify, a person is
    /// referred once.
    mutating func checkReferrals(_ file: File, req: Request, today: Day, caseRows: [String: Int]) async throws {
        guard try await Organisation.current(on: req.db)?.isFirstResponder ?? false else {
            rejected.append(Rejection(file: file.name, line: 0, reason: "this organisation is not a First Responder, so it has no referrals of its own to move in (its settings say whether it is one)"))
            return
        }
        /// What each case already has, by case: Lantern's referrals, then this file's rows as they are accepted.
        var held: [String: [(kind: NotificationKind, state: NRMState)]] = [:]
        for row in file.csv.rows {
            let cells = Cells(file: file.csv, row: row)
            var reasons: [String] = []
            let reference = cells["case_reference"]
            var link: CaseLink?
            if reference.isEmpty { reasons.append("case_reference is empty") }
            else {
                link = try await Self.caseLink(reference, caseRows: caseRows, lookup: req.lookupKeys, on: req.db)
                if link == nil { reasons.append("case_reference \(reference.prefix(60)) is neither in the cases file nor a case in Lantern") }
            }
            let kind: NotificationKind? = ["dtn", "dutytonotify"].contains(ReturnValues.key(cells["kind"])) ? .dutyToNotify : RecordsImportColumns.choice(cells["kind"], \.label)
            if kind == nil { reasons.append("kind '\(cells["kind"].prefix(40))' is not nrm or duty_to_notify") }
            let startedOn = Self.day(cells, "started_on", today: today, required: false, into: &reasons)
            let submittedOn = Self.day(cells, "submitted_on", today: today, required: false, into: &reasons)
            let rgOn = Self.day(cells, "rg_decision_on", today: today, required: false, into: &reasons)
            let cgOn = Self.day(cells, "cg_decision_on", today: today, required: false, into: &reasons)
            let outcomeOn = Self.day(cells, "outcome_on", today: today, required: false, into: &reasons)
            func decision(_ column: String) -> Bool? {
                switch ReturnValues.key(cells[column]) {
                case "": return nil
                case "positive", "pos", "yes": return true
                case "negative", "neg", "no": return false
                default: reasons.append("\(column) '\(cells[column].prefix(20))' is not positive or negative"); return nil
                }
            }
            let rg = decision("rg_decision"), cg = decision("cg_decision")
            var ending: NRMState?
            if !cells["outcome"].isEmpty {
                ending = RecordsImportColumns.choice(cells["outcome"], \.label)
                if ending == nil || !ReferralHistory.endings.contains(ending!) {
                    reasons.append("outcome '\(cells["outcome"].prefix(40))' is not one of \(ReferralHistory.endings.map(\.rawValue).joined(separator: ", "))")
                    ending = nil
                }
            }
            let homeOfficeReference = cells["home_office_reference"]
            if homeOfficeReference.count > 100 { reasons.append("home_office_reference is longer than 100 characters") }

            // The case's facts, whether it is a row of this import or already in Lantern.
            var caseKey = reference.uppercased(), opened: Day?, child = false, consent: ConsentDecision?, named = true
            switch link {
            case .row(let index)?:
                let c = cases[index]
                opened = c.openedOn; child = c.form.age?.treatedAsChild ?? true; consent = c.consent?.decision
                named = ![c.form.secrets.firstName, c.form.secrets.lastName].contains { $0.isEmpty || $0.lowercased() == "unknown" }
            case .existing(let c)?:
                caseKey = c.id!.uuidString
                opened = Day(c.openedAt); child = c.age.treatedAsChild; consent = c.nrmConsent
                let s = try c.open(with: req.cipher)
                named = ![s.firstName, s.lastName].contains { $0.isEmpty || $0.lowercased() == "unknown" }
                if held[caseKey] == nil {
                    held[caseKey] = try await HomeOfficeReferral.query(on: req.db).filter(\.$safeguardingCase.$id == c.id!).all().map { ($0.kind, $0.state) }
                }
            case nil: break
            }
            let begun = startedOn ?? submittedOn ?? opened ?? today
            if let opened, begun < opened { reasons.append("the referral began on \(begun.iso), before its case was opened on \(opened.iso)") }
            if let submittedOn, submittedOn < begun { reasons.append("submitted_on \(submittedOn.iso) is before started_on \(begun.iso)") }
            let existing = held[caseKey] ?? []
            let liveNRM = existing.contains { $0.kind == .nrm && ![.withdrawn, .closed].contains($0.state) }
            switch kind {
            case .nrm?:
                if liveNRM { reasons.append("this person already has an NRM referral; each person is referred once") }
                if !child && consent != .given { reasons.append("an adult is referred to the NRM only with consent: give nrm_consent 'given' on the case") }
                if submittedOn != nil && !named { reasons.append("a submitted NRM referral needs the person's first and last name on the case") }
            case .dutyToNotify?:
                if child { reasons.append("children (and anyone whose age is not known) are referred to the NRM, not notified under Duty to Notify") }
                if liveNRM { reasons.append("an NRM referral already meets the duty to notify") }
                if existing.contains(where: { $0.kind == .dutyToNotify && $0.state != .withdrawn }) { reasons.append("a Duty to Notify notification is already recorded for this person") }
            case nil: break
            }
            var replayed: ReferralHistory.Replayed?
            if let kind, reasons.isEmpty {
                let milestones = ReferralHistory.Milestones(
                    kind: kind, submittedOn: submittedOn, homeOfficeReference: homeOfficeReference.isEmpty ? nil : homeOfficeReference,
                    reasonableGrounds: rg, reasonableGroundsOn: rgOn, conclusiveGrounds: cg, conclusiveGroundsOn: cgOn, ending: ending, endingOn: outcomeOn)
                switch ReferralHistory.replay(milestones, today: today) {
                case .success(let history): replayed = history
                case .failure(let refusal): reasons.append(refusal.message)
                }
            }
            guard reasons.isEmpty, let link, let kind, let replayed else { reject(file, row.line, reasons); continue }
            held[caseKey, default: []].append((kind, replayed.record.state))
            referrals.append(ReferralRow(line: row.line, link: link, kind: kind, startedOn: begun, homeOfficeReference: homeOfficeReference, history: replayed))
        }
    }
}
