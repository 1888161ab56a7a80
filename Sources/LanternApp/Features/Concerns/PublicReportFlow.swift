import Foundation
import LanternCore
import Vapor

/// The public report as a short question flow, one topic a page, as GOV.UK services ask: danger
/// first, then who is reporting, who it is about, where and what, the signs (which can be
/// skipped), how to get back in touch, and a page to check every answer before sending.
///
/// Nothing is stored until the report is sent: each page carries the answers given so far in
/// hidden fields, so no session row is written for a visitor (security.md §1), and the flow works
/// without JavaScript. Each page checks only its own questions; the send checks everything again.
enum PublicReportFlow {
    enum Step: String, CaseIterable, Encodable {
        case danger, you, person, place, signs, contact, check

        /// The form fields the step asks, in page order (`indicators` for the tick boxes).
        var fields: [String] {
            switch self {
            case .danger: ["immediate_danger", "police_called"]
            case .you: ["relationship"]
            case .person: ["subject", "who", "age", "child_involved"]
            case .place: ["location", "postcode", "description"]
            case .signs: ["indicators", "other_indicators"]
            case .contact: ["anonymous", "reporter_name", "reporter_organisation", "reporter_email", "reporter_phone"]
            case .check: ["files", "file_description"]
            }
        }

        var heading: String {
            switch self {
            case .danger: "Is anyone in danger right now?"
            case .you: "About you"
            case .person: "Who your concern is about"
            case .place: "Where it is happening and what you saw"
            case .signs: "Signs you may have noticed"
            case .contact: "Can we contact you?"
            case .check: "Check your answers before sending your report"
            }
        }

        var next: Step { Step.allCases[min(Step.allCases.firstIndex(of: self)! + 1, Step.allCases.count - 1)] }
        var previous: Step? { self == .danger ? nil : Step.allCases[Step.allCases.firstIndex(of: self)! - 1] }
        var number: Int { Step.allCases.firstIndex(of: self)! + 1 }
    }

    struct Hidden: Encodable { let name: String; let value: String }
    struct Row: Encodable { let question: String; let answer: String; let step: String }

    struct Page: Encodable {
        let step: Step
        let number: Int
        let count: Int
        let heading: String
        /// The answers given on the other pages, sent again with this one.
        let hidden: [Hidden]
        let canGoBack: Bool
        /// Reached with "Change" from the check page: "Continue" returns there.
        let returnToCheck: Bool
        let summary: [Row]
    }

    /// Shows a step with the answers so far. `errors` are that step's own.
    static func render(_ req: Request, step: Step, intake: ConcernIntake?, errors: FormErrors = FormErrors(),
                       returnToCheck: Bool = false, proof: (token: String, solution: String)? = nil,
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        // The first page's proof-of-work challenge, solved by its script while the person
        // answers, travels with the pages to the send; a page without one gets a new one.
        var view = PublicReportController.publicFormView(req, intake)
        if let proof, !proof.token.isEmpty {
            view.proofToken = proof.token
            view.proofSolution = proof.solution
        }
        view.errors = errors
        let values = intake?.values ?? [:], checked = intake?.checked ?? []
        var hidden: [Hidden] = []
        for other in Step.allCases where other != step {
            for field in other.fields where field != "files" {
                if field == "indicators" { hidden += checked.sorted().map { Hidden(name: "indicators[]", value: $0) } }
                else if let value = values[field], !value.isEmpty { hidden.append(Hidden(name: field, value: value)) }
            }
        }
        view.flow = Page(step: step, number: step.number, count: Step.allCases.count, heading: step.heading, hidden: hidden,
                         canGoBack: step.previous != nil && !returnToCheck, returnToCheck: returnToCheck,
                         summary: step == .check ? summary(values, checked) : [])
        let title = step == .check ? step.heading : "\(step.heading) – Report a concern"
        return try await req.render(step == .check ? "Concerns/report-check" : "Concerns/report-step", view, title: title, status: status)
    }

    /// A page of the flow answered: back, on to the next page (or the check page when changing
    /// an answer), or the same page again with its errors.
    @Sendable static func answer(req: Request) async throws -> Response {
        let form = try req.form(ConcernIntake.Form.self)
        var intake = ConcernIntake(form, files: nil, publicForm: true)
        let proof = (token: form.pow_token, solution: form.pow_solution)
        let step = Step(rawValue: req.formValue("step")) ?? .danger
        let go = req.formValue("go")
        let returning = req.formValue("return") == "check"
        if go == "back" { return try await render(req, step: step.previous ?? .danger, intake: intake, proof: proof) }
        if go.hasPrefix("change:"), let target = Step(rawValue: String(go.dropFirst("change:".count))) {
            return try await render(req, step: target, intake: intake, returnToCheck: target != .check, proof: proof)
        }
        if go == "skip" && step == .signs {
            intake.checked = []
            intake.values["other_indicators"] = ""
        } else {
            // This page's problems only, in the order its questions appear.
            let own = intake.errors.items.filter { step.fields.contains($0.field) }
                .sorted { step.fields.firstIndex(of: $0.field)! < step.fields.firstIndex(of: $1.field)! }
            if !own.isEmpty {
                return try await render(req, step: step, intake: intake, errors: FormErrors(own.map { ($0.field, $0.message) }),
                                        returnToCheck: returning, proof: proof, status: .unprocessableEntity)
            }
        }
        return try await render(req, step: returning ? .check : step.next, intake: intake, proof: proof)
    }

    /// Every answer, as the check page lists them, with the page that asks it.
    static func summary(_ v: [String: String], _ checked: Set<String>) -> [Row] {
        func said(_ key: String) -> String { (v[key] ?? "").isEmpty ? "Not said" : v[key]! }
        let relationships: [ConcernChannel] = [.publicNamed, .supplierOrContractor, .selfReport, .partnerAgency, .housingAssociation]
        let relationship = relationships.first { $0.rawValue == v["relationship"] }.map { $0 == .publicNamed ? "A member of the public" : $0.label } ?? "Not said"
        let signs = checked.sorted().compactMap { IndicatorCatalogue.byID[$0]?.label }
        var contact = "No, I want to stay anonymous"
        if v["anonymous"] == "no" {
            contact = [v["reporter_name"], v["reporter_organisation"], v["reporter_email"], v["reporter_phone"]]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        }
        return [
            Row(question: "Is anyone in danger right now?", answer: v["immediate_danger"] == "yes" ? "Yes" : v["immediate_danger"] == "no" ? "No" : "Not said", step: "danger"),
            Row(question: "Have the police been called?", answer: v["police_called"] == "yes" ? "Yes" : v["police_called"] == "no" ? "No" : "Not said", step: "danger"),
            Row(question: "Who are you?", answer: relationship, step: "you"),
            Row(question: "What is your concern about?", answer: ConcernSubject(rawValue: v["subject"] ?? "")?.label ?? "Not said", step: "person"),
            Row(question: "Who do you think is at risk?", answer: said("who"), step: "person"),
            Row(question: "How old are they?", answer: AgeCategory(rawValue: v["age"] ?? "")?.label ?? "Not said", step: "person"),
            Row(question: "Could a child (under 18) be involved?", answer: Answer(rawValue: v["child_involved"] ?? "")?.label ?? "Not said", step: "person"),
            Row(question: "Where is this happening?", answer: [v["location"], v["postcode"]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", "), step: "place"),
            Row(question: "What did you see or hear?", answer: said("description"), step: "place"),
            Row(question: "Signs you noticed", answer: signs.isEmpty ? "None chosen" : signs.joined(separator: "; "), step: "signs"),
            Row(question: "Other signs", answer: said("other_indicators"), step: "signs"),
            Row(question: "Can we contact you?", answer: contact, step: "contact"),
        ]
    }
}

extension Request {
    /// One field of an urlencoded form, or "".
    func formValue(_ name: String) -> String { (try? content.get(String.self, at: name)) ?? "" }
}
