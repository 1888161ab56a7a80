import Fluent
import Foundation
import LanternCore
import Vapor

/// The questions every reporter answers, from staff or the public, checked the same way.
/// Source: `shared/docs/domain/referrals.md` §3.1 (fields), §5 (indicators), §1 rule 6 (999 first).
struct ConcernIntake {
    struct Form: Content {
        /// The public form's proof of work (`ProofOfWork`); absent on the staff form.
        @FormField var pow_token: String = ""
        @FormField var pow_solution: String = ""
        @FormField var immediate_danger: String = ""
        @FormField var police_called: String = ""
        @FormField var subject: String = ""
        @FormField var who: String = ""
        @FormField var age: String = ""
        @FormField var child_involved: String = ""
        @FormField var location: String = ""
        @FormField var postcode: String = ""
        @FormField var description: String = ""
        @FormList var indicators: [String] = []
        @FormField var other_indicators: String = ""
        // The public form
        @FormField var relationship: String = ""
        @FormField var anonymous: String = ""
        @FormField var reporter_name: String = ""
        @FormField var reporter_email: String = ""
        @FormField var reporter_phone: String = ""
        @FormField var reporter_organisation: String = ""
        // The staff form
        @FormField var supplier: String = ""
        @FormField var file_description: String = ""
        /// Staff only: a concern received before it is entered, and why.
        @FormField var received_on: String = ""
        @FormField var received_on_reason: String = ""
    }

    var values: [String: String] = [:]
    var checked: Set<String> = []
    var errors = FormErrors()
    var facts = ConcernRules.Facts(age: nil, childInvolved: .notSure)
    var secrets = Concern.Secrets()
    var channel: ConcernChannel = .staff
    var immediateDanger = false
    var reporter: ConcernReporter.Secrets?
    var uploads: [EvidenceUpload.Staged] = []

    static func trim(_ s: String?) -> String { FormText.trim(s) }

    /// Reads and checks the form and the files it carried. `publicForm` adds the reporter questions.
    init(_ form: Form, files: EvidenceUpload?, publicForm: Bool) {
        let text: [String: String] = [
            "immediate_danger": form.immediate_danger, "police_called": form.police_called, "subject": form.subject,
            "who": form.who, "age": form.age, "child_involved": form.child_involved, "location": form.location,
            "postcode": form.postcode, "description": form.description, "other_indicators": form.other_indicators,
            "relationship": form.relationship, "anonymous": form.anonymous, "reporter_name": form.reporter_name,
            "reporter_email": form.reporter_email, "reporter_phone": form.reporter_phone,
            "reporter_organisation": form.reporter_organisation, "supplier": form.supplier, "file_description": form.file_description,
        ]
        for (k, v) in text { values[k] = Self.trim(v) }
        checked = Set((form.indicators).filter { IndicatorCatalogue.byID[$0] != nil })

        switch values["immediate_danger"] {
        case "yes": immediateDanger = true
        case "no": immediateDanger = false
        default: errors.add("immediate_danger", publicForm ? "Say whether anyone is in danger right now" : "Say whether anyone is in immediate danger")
        }
        secrets.policeCalled = values["police_called"] == "yes"
        let subject = ConcernSubject(rawValue: values["subject"] ?? "")
        if subject == nil { errors.add("subject", publicForm ? "Choose what your concern is about" : "Select what the concern is about") }
        let age = AgeCategory(rawValue: values["age"] ?? "")
        let child = Answer(rawValue: values["child_involved"] ?? "")
        if child == nil { errors.add("child_involved", publicForm ? "Say whether a child (under 18) may be involved" : "Select whether a child may be involved") }
        length("who", max: 2000, name: "description of who is at risk")
        if form.location.isEmpty { errors.add("location", publicForm ? "Tell us where this is happening, as far as you know" : "Enter where this is happening") }
        length("location", max: 1000, name: "location")
        if !form.postcode.isEmpty && !Self.looksLikePostcode(form.postcode) {
            errors.add("postcode", "Enter a UK postcode, like SW1A 1AA, or leave it blank")
        }
        if form.description.isEmpty { errors.add("description", publicForm ? "Tell us what you saw or heard" : "Describe what was seen or heard") }
        length("description", max: ConcernRules.maximumTextLength, name: "description")
        length("other_indicators", max: 2000, name: "other signs")

        if publicForm {
            channel = ConcernChannel(rawValue: values["relationship"] ?? "") ?? .publicNamed
            if ConcernChannel(rawValue: values["relationship"] ?? "") == nil || channel == .staff {
                errors.add("relationship", "Choose who you are")
            }
            switch values["anonymous"] {
            case "yes":
                if channel == .publicNamed { channel = .publicAnonymous }
            case "no":
                var r = ConcernReporter.Secrets()
                r.name = form.reporter_name
                r.email = form.reporter_email
                r.phone = form.reporter_phone
                r.organisation = form.reporter_organisation
                if r.name.isEmpty { errors.add("reporter_name", "Enter your name, or choose to stay anonymous") }
                length("reporter_name", max: 200, name: "name")
                length("reporter_organisation", max: 200, name: "organisation")
                if r.email.isEmpty && r.phone.isEmpty { errors.add("reporter_email", "Give an email address or a phone number so we can contact you, or choose to stay anonymous") }
                if !r.email.isEmpty && !(r.email.contains("@") && r.email.count <= 254 && !r.email.contains(" ")) {
                    errors.add("reporter_email", "Enter an email address like name@example.com")
                }
                if !r.phone.isEmpty && (r.phone.filter(\.isNumber).count < 7 || r.phone.count > 30) {
                    errors.add("reporter_phone", "Enter a phone number, like 07700 900123")
                }
                reporter = r
            default:
                errors.add("anonymous", "Choose whether to give your name or stay anonymous")
            }
        }
        length("file_description", max: 2000, name: "description of the files")

        uploads = files?.accepted(into: &errors) ?? []
        if !errors.isEmpty && !uploads.isEmpty {
            errors.add("files", "Files are not kept when the form has a problem: choose them again")
        }

        secrets.whoAtRisk = form.who
        secrets.location = form.location
        secrets.postcode = form.postcode.uppercased()
        secrets.description = form.description
        secrets.indicators = checked.sorted().map { IndicatorObservation(indicatorID: $0, source: publicForm ? .thirdParty : .observed) }
        secrets.otherIndicators = form.other_indicators
        facts = .init(age: age, childInvolved: child ?? .notSure, indicatorIDs: checked, subject: subject ?? .unknown)
    }

    private mutating func length(_ field: String, max: Int, name: String) {
        if (values[field] ?? "").count > max { errors.add(field, "The \(name) must be \(max) characters or fewer") }
    }

    /// The shape of a UK postcode (outward code, space optional, inward code).
    static func looksLikePostcode(_ raw: String) -> Bool {
        let compact = raw.uppercased().filter { !$0.isWhitespace }
        guard (5...7).contains(compact.count), compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return false }
        let inward = Array(compact.suffix(3))
        return inward[0].isNumber && inward[1].isLetter && inward[2].isLetter && compact.first!.isLetter
    }

    /// Creates the concern with its routes, reporter identity and files, in one transaction.
    /// Saves the concern, its routes, reporter and files, and its audit row (`auditDetail`), in
    /// one transaction: a report and its audit row are written both, or neither.
    func create(_ req: Request, reportedBy: UUID?, supplierID: UUID? = nil, contractID: UUID? = nil,
                receiptHash: String? = nil, auditDetail: String, receivedOn: Day? = nil, lateReason: String? = nil) async throws -> Concern {
        var facts = self.facts
        facts.aboutSupplierOrContract = supplierID != nil || contractID != nil
        let routes = ConcernRules.routes(for: facts)
        let now = req.lantern.now()
        // A concern entered later is dated at noon on the day it was received.
        let received = receivedOn?.noon ?? now
        let concern = Concern()
        concern.channel = channel
        concern.status = .received
        concern.receivedAt = received
        concern.acknowledgeBy = ConcernRules.acknowledgeBy(received: Day(received)).iso
        concern.subject = facts.subject
        concern.age = facts.age
        concern.childInvolved = facts.childInvolved
        concern.immediateDanger = immediateDanger
        concern.routes = routes.map(\.rawValue).joined(separator: ",")
        concern.reportedBy = reportedBy
        concern.supplierID = supplierID
        concern.contractID = contractID
        concern.receiptHash = receiptHash
        try concern.seal(secrets, with: req.cipher)
        let teams = try await Team.query(on: req.db).filter(\.$name ~~ routes.map(\.teamName)).all()
        concern.$team.id = routes.first.flatMap { route in teams.first { $0.name == route.teamName }?.id }
        let reporterRecord: ConcernReporter? = try reporter.map { reporter in
            let record = ConcernReporter()
            record.$concern.id = concern.id!
            try record.seal(reporter, with: req.cipher)
            return record
        }
        let uploads = self.uploads
        let fileDescription = values["file_description"] ?? ""
        let fromReporter = reportedBy == nil, cipher = req.cipher
        try await req.db.writeTransaction { db in
            concern.reference = try await RecordReference.unique(prefix: "MS", year: Day(received).year, in: Concern.schema, on: db)
            try await concern.create(on: db)
            for route in routes {
                let link = ConcernTeam()
                link.$concern.id = concern.id!
                link.route = route
                link.$team.id = teams.first { $0.name == route.teamName }?.id
                try await link.create(on: db)
            }
            try await reporterRecord?.create(on: db)
            for file in uploads {
                try await EvidenceStore.attach(file, owner: .concern, ownerID: concern.id!, description: fileDescription,
                                               uploadedBy: reportedBy, fromReporter: fromReporter, cipher: cipher, on: db)
            }
            try await req.audit(.create, .concern, id: concern.id?.uuidString,
                                detail: auditDetail + (receivedOn.map { "; received on \($0.iso), entered later" } ?? ""), sealed: lateReason, on: db)
            if fromReporter { try await NewReportAlert.queue(on: db, app: req.application, now: now) }
        }
        return concern
    }
}
