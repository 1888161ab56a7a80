import Fluent
import Foundation
import LanternCore
import Vapor

/// The records kept on a contract after award: annual reviews, the risk register, the action
/// plan (corrective actions, sanctions, the decision to terminate) and KPIs with their values.
struct ContractRecordsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let edit = routes.requiring(.editContracts).grouped("contracts", ":contractID")
        edit.post("reviews", use: addReview)
        edit.post("risks", use: addRisk)
        edit.post("risks", ":riskID", "close", use: closeRisk)
        edit.post("actions", use: addAction)
        edit.post("actions", ":actionID", "complete", use: completeAction)
        edit.post("kpis", use: addKPI)
        edit.post("kpi-values", use: addKPIValue)
    }

    private static func trim(_ s: String?) -> String { FormText.trim(s) }

    /// Checks a required or optional date field, adding the error under `field`.
    private static func day(_ raw: String, _ field: String, _ name: String, required: Bool, into errors: inout FormErrors) -> Day? {
        if raw.isEmpty {
            if required { errors.add(field, "Enter the \(name)") }
            return nil
        }
        guard let day = Day(parsing: raw) else { errors.add(field, "Enter the \(name) as a real date, like 2026-04-01 or 01/04/2026"); return nil }
        return day
    }

    private static func text(_ raw: String, _ field: String, _ name: String, max: Int, required: Bool, into errors: inout FormErrors) {
        if required && raw.isEmpty { errors.add(field, "Enter the \(name)") }
        else if raw.count > max { errors.add(field, "The \(name) must be \(max) characters or fewer") }
    }

    // MARK: Annual review

    struct ReviewForm: Content {
        var reviewed_on: String?
        var outcome: String?
        var supply_chain_mapped: String?
        var financial_checks: String?
        var policy_adherence: String?
        var meeting_held: String?
        var notes: String?
        var review_next: String?
    }

    func addReview(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        let form = try req.form(ReviewForm.self)
        let reviewedOn = Self.trim(form.reviewed_on), notes = Self.trim(form.notes), next = Self.trim(form.review_next)
        var typed = ContractPage.Typed(section: "review", values: ["reviewed_on": reviewedOn, "outcome": form.outcome ?? "", "notes": notes, "review_next": next,
                                                                  "supply_chain_mapped": form.supply_chain_mapped ?? "", "financial_checks": form.financial_checks ?? "",
                                                                  "policy_adherence": form.policy_adherence ?? "", "meeting_held": form.meeting_held ?? ""])
        let today = req.today
        let day = Self.day(reviewedOn, "reviewed_on", "date of the review", required: true, into: &typed.errors)
        if let day, day > today { typed.errors.add("reviewed_on", "The review date cannot be in the future") }
        if !ContractReview.outcomes.contains(where: { $0.0 == form.outcome }) { typed.errors.add("outcome", "Select the outcome of the review") }
        Self.text(notes, "notes", "notes", max: 4000, required: false, into: &typed.errors)
        var nextDay = Self.day(next, "review_next", "next review date", required: false, into: &typed.errors)
        if nextDay == nil, typed.errors.byField["review_next"] == nil, let day { nextDay = ReviewSchedule.nextDue(lastReview: day, contractStart: nil, today: today) }
        if let nextDay, let day, nextDay > day.adding(months: ReviewSchedule.maximumMonths), contract.needsReview {
            typed.errors.add("review_next", "The next annual review must be within 12 months of this one (by \(day.adding(months: 12).long))")
        }
        if let nextDay, let day, nextDay <= day { typed.errors.add("review_next", "The next review must be after this one") }
        guard typed.errors.isEmpty, let day else { return try await ContractPage.refuse(req, contract, typed) }
        let review = ContractReview()
        review.$contract.id = contract.id!
        review.reviewedOn = day.iso
        review.reviewerName = req.currentUser?.displayName ?? ""
        review.outcome = form.outcome!
        review.supplyChainMapped = form.supply_chain_mapped == "yes"
        review.financialChecks = form.financial_checks == "yes"
        review.policyAdherence = form.policy_adherence == "yes"
        review.meetingHeld = form.meeting_held == "yes"
        review.notes = notes
        review.nextReviewDate = nextDay?.iso
        review.recordedAt = req.lantern.now()
        let chosenNext = nextDay
        try await req.db.writeTransaction { db in
            try await review.create(on: db)
            if contract.lastReviewDate.flatMap(Day.init(parsing:)).map({ $0 <= day }) ?? true {
                contract.lastReviewDate = day.iso
                contract.nextReviewDate = chosenNext?.iso
                try await contract.save(on: db)
            }
            try await req.audit(.create, .contractReview, id: review.id?.uuidString, detail: "contract \(contract.id!.uuidString)", on: db)
        }
        return req.redirect(to: "/contracts/\(contract.id!.uuidString)#reviews", saying: "Annual review recorded.\(nextDay.map { " Next review due \($0.long)." } ?? "")")
    }

    // MARK: Risk register

    struct RiskForm: Content {
        var characteristic: String?
        var description: String?
        var likelihood: String?
        var impact: String?
        var owner: String?
        var mitigation: String?
        var treatment: String?
        var review_date: String?
    }

    func addRisk(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        let form = try req.form(RiskForm.self)
        let description = Self.trim(form.description), owner = Self.trim(form.owner), mitigation = Self.trim(form.mitigation)
        let reviewDate = Self.trim(form.review_date)
        var typed = ContractPage.Typed(section: "risk", values: ["characteristic": form.characteristic ?? "", "description": description,
                                                                "likelihood": form.likelihood ?? "", "impact": form.impact ?? "", "owner": owner,
                                                                "mitigation": mitigation, "treatment": form.treatment ?? "", "review_date": reviewDate])
        let characteristic = form.characteristic.flatMap(RiskCharacteristic.init(rawValue:))
        if characteristic == nil { typed.errors.add("characteristic", "Select which of the six characteristics the risk comes from") }
        Self.text(description, "description", "description of the risk", max: 2000, required: true, into: &typed.errors)
        let likelihood = form.likelihood.flatMap(Int.init).flatMap { RegisterScale.range.contains($0) ? $0 : nil }
        if likelihood == nil { typed.errors.add("likelihood", "Select the likelihood, from 1 (rare) to 5 (almost certain)") }
        let impact = form.impact.flatMap(Int.init).flatMap { RegisterScale.range.contains($0) ? $0 : nil }
        if impact == nil { typed.errors.add("impact", "Select the impact, from 1 (minimal) to 5 (severe)") }
        Self.text(owner, "owner", "risk owner", max: 200, required: true, into: &typed.errors)
        Self.text(mitigation, "mitigation", "mitigation and controls", max: 2000, required: false, into: &typed.errors)
        let treatment = form.treatment.flatMap(RiskTreatment.init(rawValue:))
        if treatment == nil { typed.errors.add("treatment", "Select how the risk is treated") }
        let review = Self.day(reviewDate, "review_date", "date to review the risk", required: true, into: &typed.errors)
        guard typed.errors.isEmpty, let characteristic, let likelihood, let impact, let treatment, let review else {
            return try await ContractPage.refuse(req, contract, typed)
        }
        let risk = ContractRisk()
        risk.$contract.id = contract.id!
        risk.characteristic = characteristic.rawValue
        risk.description = description
        risk.likelihood = likelihood
        risk.impact = impact
        risk.owner = owner
        risk.mitigation = mitigation
        risk.treatment = treatment.rawValue
        risk.reviewDate = review.iso
        risk.status = .open
        risk.createdAt = req.lantern.now()
        try await req.write(risk, .create, .contractRisk, detail: "contract \(contract.id!.uuidString)")
        return req.redirect(to: "/contracts/\(contract.id!.uuidString)#register", saying: "Risk added to the register.")
    }

    func closeRisk(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        guard let id = req.parameters.get("riskID").flatMap(UUID.init(uuidString:)),
              let risk = try await ContractRisk.query(on: req.db).filter(\.$id == id).filter(\.$contract.$id == contract.id!).first()
        else { throw LanternError.notFound }
        guard req.isConfirmed else {
            return try await req.confirmation("Close this risk?", ["The risk \u{201C}\(risk.description)\u{201D} will be marked closed on the contract's risk register. It stays on the register, and a new risk can be added if it comes back."],
                                              button: "Yes, close the risk", cancel: "/contracts/\(contract.id!.uuidString)#register")
        }
        risk.status = .closed
        try await req.write(risk, .update, .contractRisk, id: id.uuidString, detail: "closed")
        return req.redirect(to: "/contracts/\(contract.id!.uuidString)#register", saying: "Risk closed.")
    }

    // MARK: Action plan

    struct ActionForm: Content {
        var step: String?
        var description: String?
        var owner: String?
        var due_date: String?
        var approver: String?
        var decision_date: String?
        var evidence: String?
    }

    func addAction(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        let form = try req.form(ActionForm.self)
        let description = Self.trim(form.description), owner = Self.trim(form.owner), due = Self.trim(form.due_date)
        let approver = Self.trim(form.approver), decision = Self.trim(form.decision_date), evidence = Self.trim(form.evidence)
        var typed = ContractPage.Typed(section: "action", values: ["step": form.step ?? "", "action_description": description, "action_owner": owner, "due_date": due,
                                                                  "approver": approver, "decision_date": decision, "evidence": evidence])
        let step = form.step.flatMap(EscalationStep.init(rawValue:))
        if step == nil { typed.errors.add("step", "Select the kind of action") }
        Self.text(description, "action_description", "action", max: 2000, required: true, into: &typed.errors)
        Self.text(owner, "action_owner", "action's owner", max: 200, required: true, into: &typed.errors)
        let dueDay = Self.day(due, "due_date", "due date", required: true, into: &typed.errors)
        Self.text(evidence, "evidence", "evidence", max: 4000, required: step?.needsApproval ?? false, into: &typed.errors)
        var decisionDay: Day?
        if let step, step.needsApproval {
            // Sanctions and termination are decisions: who approved them, and when.
            Self.text(approver, "approver", "name of the person who approved this \(step.label.lowercased())", max: 200, required: true, into: &typed.errors)
            decisionDay = Self.day(decision, "decision_date", "date of the decision", required: true, into: &typed.errors)
            if let d = decisionDay, d > req.today { typed.errors.add("decision_date", "The decision date cannot be in the future") }
        }
        guard typed.errors.isEmpty, let step, let dueDay else { return try await ContractPage.refuse(req, contract, typed) }
        let action = ContractAction()
        action.$contract.id = contract.id!
        action.step = step.rawValue
        action.description = description
        action.owner = owner
        action.dueDate = dueDay.iso
        action.status = .open
        action.approver = step.needsApproval ? approver : nil
        action.decisionDate = decisionDay?.iso
        action.evidence = evidence
        action.outcome = ""
        action.createdAt = req.lantern.now()
        try await req.db.writeTransaction { db in
            try await action.create(on: db)
            if step == .termination {
                contract.status = .terminated
                try await contract.save(on: db)
            }
            try await req.audit(.create, .contractAction, id: action.id?.uuidString, detail: "\(step.rawValue) on contract \(contract.id!.uuidString)", on: db)
        }
        return req.redirect(to: "/contracts/\(contract.id!.uuidString)#actions", saying: step == .termination ? "Decision to terminate recorded; the contract is marked terminated." : "\(step.label) added to the action plan.")
    }

    struct CompleteForm: Content { var outcome: String?; var status: String? }

    func completeAction(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        guard let id = req.parameters.get("actionID").flatMap(UUID.init(uuidString:)),
              let action = try await ContractAction.query(on: req.db).filter(\.$id == id).filter(\.$contract.$id == contract.id!).first()
        else { throw LanternError.notFound }
        let form = try req.form(CompleteForm.self)
        let outcome = Self.trim(form.outcome)
        var typed = ContractPage.Typed(section: "complete-\(id.uuidString)", values: ["outcome": outcome])
        Self.text(outcome, "outcome-\(id.uuidString)", "outcome", max: 2000, required: true, into: &typed.errors)
        let status: ContractActionStatus = form.status == "cancelled" ? .cancelled : .done
        guard typed.errors.isEmpty else { return try await ContractPage.refuse(req, contract, typed) }
        guard req.isConfirmed else {
            return try await req.confirmation(status == .done ? "Mark this action done?" : "Cancel this action?",
                                              ["\u{201C}\(action.description)\u{201D} will be closed with the outcome \u{201C}\(outcome)\u{201D}. A closed action cannot be reopened; add a new one if more is needed."],
                                              button: status == .done ? "Yes, mark it done" : "Yes, cancel it", cancel: "/contracts/\(contract.id!.uuidString)#actions")
        }
        action.status = status
        action.outcome = outcome
        action.completedOn = req.today.iso
        try await req.write(action, .update, .contractAction, id: id.uuidString, detail: status.rawValue)
        return req.redirect(to: "/contracts/\(contract.id!.uuidString)#actions", saying: status == .done ? "Action marked done." : "Action cancelled.")
    }

    // MARK: KPIs

    struct KPIForm: Content { var kpi_name: String?; var target: String?; var unit: String? }

    func addKPI(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        let form = try req.form(KPIForm.self)
        let name = Self.trim(form.kpi_name), target = Self.trim(form.target), unit = Self.trim(form.unit)
        var typed = ContractPage.Typed(section: "kpi", values: ["kpi_name": name, "target": target, "unit": unit])
        Self.text(name, "kpi_name", "KPI's name", max: 300, required: true, into: &typed.errors)
        Self.text(target, "target", "target", max: 200, required: true, into: &typed.errors)
        Self.text(unit, "unit", "unit", max: 50, required: false, into: &typed.errors)
        if typed.errors.isEmpty, try await ContractKPI.query(on: req.db).filter(\.$contract.$id == contract.id!).filter(\.$name == name).count() > 0 {
            typed.errors.add("kpi_name", "This contract already has a KPI called \(name)")
        }
        guard typed.errors.isEmpty else { return try await ContractPage.refuse(req, contract, typed) }
        let kpi = ContractKPI()
        kpi.$contract.id = contract.id!
        kpi.name = name
        kpi.target = target
        kpi.unit = unit
        try await req.write(kpi, .create, .contractKPI, detail: "contract \(contract.id!.uuidString)")
        return req.redirect(to: "/contracts/\(contract.id!.uuidString)#kpis", saying: "KPI \(name) added.")
    }

    struct KPIValueForm: Content { var kpi: String?; var period: String?; var value: String?; var note: String? }

    func addKPIValue(req: Request) async throws -> Response {
        let contract = try await ContractPage.find(req)
        let form = try req.form(KPIValueForm.self)
        let period = Self.trim(form.period), rawValue = Self.trim(form.value), note = Self.trim(form.note)
        var typed = ContractPage.Typed(section: "kpi-value", values: ["kpi": form.kpi ?? "", "period": period, "value": rawValue, "note": note])
        var kpi: ContractKPI?
        if let id = form.kpi.flatMap(UUID.init(uuidString:)) {
            kpi = try await ContractKPI.query(on: req.db).filter(\.$id == id).filter(\.$contract.$id == contract.id!).first()
        }
        if kpi == nil { typed.errors.add("kpi", "Select the KPI") }
        Self.text(period, "period", "period, like 2026-Q1 or 2025/26", max: 40, required: true, into: &typed.errors)
        let value = Double(rawValue.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "%", with: ""))
        if rawValue.isEmpty { typed.errors.add("value", "Enter the value for the period") }
        else if value == nil || !(value!.isFinite) { typed.errors.add("value", "Enter the value as a number, like 85 or 12.5") }
        Self.text(note, "note", "note", max: 1000, required: false, into: &typed.errors)
        guard typed.errors.isEmpty, let kpi, let value else { return try await ContractPage.refuse(req, contract, typed) }
        let entry = ContractKPIValue()
        entry.$kpi.id = kpi.id!
        entry.period = period
        entry.value = value
        entry.note = note
        entry.recordedAt = req.lantern.now()
        try await req.write(entry, .create, .contractKPIValue, detail: "kpi \(kpi.id!.uuidString)")
        return req.redirect(to: "/contracts/\(contract.id!.uuidString)#kpis", saying: "Value recorded for \(kpi.name), \(period).")
    }
}
