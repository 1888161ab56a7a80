import Fluent
import Foundation
import LanternCore
import Vapor

/// The staff list a training manager keeps (added by hand or from HR's CSV), one person's
/// required courses with their status, and completions recorded by hand.
struct StaffTrainingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let manage = routes.requiring(.manageTraining).grouped("training", "staff")
        manage.get(use: list)
        manage.post(use: create)
        manage.get(":staffID", use: show)
        manage.post(":staffID", "completions", use: recordCompletion)
        manage.post(":staffID", "leaver", use: recordLeaver)
    }

    static let fields = ["staff_number", "name", "email", "job_title", "team", "directorate", "manager_email", "started_on"]

    struct StaffForm: Content {
        @FormField var staff_number: String = ""
        @FormField var name: String = ""
        @FormField var email: String = ""
        @FormField var job_title: String = ""
        @FormField var team: String = ""
        @FormField var directorate: String = ""
        @FormField var manager_email: String = ""
        @FormField var started_on: String = ""
    }

    struct ListView: Encodable {
        struct Person: Encodable { let id: String; let staffNumber: String; let name: String; let jobTitle: String; let directorate: String; let manager: String }
        let people: [Person]
        let typed: [String: String]
        let errors: FormErrors
    }

    private func list(_ req: Request, typed: [String: String] = [:], errors: FormErrors = FormErrors()) async throws -> Response {
        let people = try await StaffMember.query(on: req.db).filter(\.$leftOn == nil).sort(\.$name).limit(2000).all()
        try await req.audit(.read, .staffMember, detail: "staff list")
        return try await req.render("Training/staff", ListView(
            people: people.map { .init(id: $0.id!.uuidString, staffNumber: $0.staffNumber, name: $0.name, jobTitle: $0.jobTitle,
                                       directorate: $0.directorate, manager: $0.managerEmail ?? "") },
            typed: typed, errors: errors), title: "Staff and their training", status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func list(req: Request) async throws -> Response { try await list(req) }

    func create(req: Request) async throws -> Response {
        let form = try req.form(StaffForm.self)
        let values = [form.staff_number, form.name, form.email, form.job_title, form.team, form.directorate, form.manager_email, form.started_on]
        let typed = Dictionary(uniqueKeysWithValues: zip(Self.fields, values))
        // The same checks as a row of HR's CSV, so a person added by hand and one imported agree.
        let csv = CSVFile.write(header: Self.fields.map { $0 == "started_on" ? "start_date" : $0 }, rows: [values])
        let plan = TrainingImport.staff(try CSVFile(data: Data(csv.utf8)), today: req.today)
        var errors = FormErrors()
        for rejection in plan.rejected {
            for reason in rejection.reason.replacingOccurrences(of: "Line 2: ", with: "").components(separatedBy: "; ") {
                let field = Self.fields.first { reason.hasPrefix($0) || reason.hasPrefix($0 == "started_on" ? "start_date" : $0) } ?? "name"
                errors.add(field, Self.sentence(reason))
            }
        }
        if let row = plan.newRows.first, try await StaffMember.query(on: req.db).filter(\.$staffNumber == row.staffNumber).first() != nil {
            errors.add("staff_number", "Someone on the staff list already has staff number \(row.staffNumber)")
        }
        guard errors.isEmpty, let row = plan.newRows.first else { return try await list(req, typed: typed, errors: errors) }
        let person = StaffMember()
        TrainingImportController.apply(row, to: person, now: req.lantern.now())
        try await req.write(person, .create, .staffMember)
        return req.redirect(to: "/training/staff/\(person.id!.uuidString)", saying: "\(person.name) added to the staff list.")
    }

    /// "name is empty" → "Enter the name": messages for a form rather than a file.
    static func sentence(_ reason: String) -> String {
        let label = reason.components(separatedBy: " ").first!.replacingOccurrences(of: "_", with: " ")
        if reason.hasSuffix("is empty") { return "Enter the \(label)" }
        return reason.replacingOccurrences(of: "_", with: " ").sentenceCased
    }

    struct PersonView: Encodable {
        struct Requirement: Encodable { let course: String; let status: String; let statusKey: String; let lastCompleted: String; let due: String }
        struct Completion: Encodable { let course: String; let on: String; let provider: String; let evidence: String; let source: String }
        let id: String
        let person: [String: String]
        let requirements: [Requirement]
        let completions: [Completion]
        let courses: [SelectOption]
        let typed: TypedForm
        let errors: FormErrors
    }

    private func person(_ req: Request) async throws -> StaffMember {
        guard let id = req.parameters.get("staffID", as: UUID.self), let person = try await StaffMember.find(id, on: req.db) else {
            throw LanternError.notFound
        }
        return person
    }

    private func show(_ req: Request, _ person: StaffMember, typed: TypedForm = TypedForm()) async throws -> Response {
        let picture = try await TrainingPicture.load(on: req.db, today: req.today, staffIDs: [person.id!])
        let completions = try await TrainingCompletion.query(on: req.db).filter(\.$staff.$id == person.id!).with(\.$course)
            .sort(\.$completedOn, .descending).all()
        try await req.audit(.read, .staffMember, id: person.id?.uuidString)
        let view = PersonView(
            id: person.id!.uuidString,
            person: ["name": person.name, "staff_number": person.staffNumber, "job_title": person.jobTitle, "team": person.team ?? "",
                     "directorate": person.directorate, "email": person.email ?? "", "manager_email": person.managerEmail ?? "",
                     "started_on": person.startedOn.flatMap(Day.init(parsing:))?.long ?? "", "left_on": person.leftOn.flatMap(Day.init(parsing:))?.long ?? ""],
            requirements: TrainingController.rows(picture.entries).map { .init(course: $0.course, status: $0.status, statusKey: $0.statusKey, lastCompleted: $0.lastCompleted, due: $0.due) },
            completions: completions.map { .init(course: $0.course.name, on: Day(parsing: $0.completedOn)?.long ?? $0.completedOn, provider: $0.provider,
                                                 evidence: $0.evidence, source: $0.source) },
            courses: picture.courses.map { SelectOption(value: $0.id!.uuidString, label: $0.name, selected: typed.values["course"] == $0.id!.uuidString) },
            typed: typed, errors: typed.errors)
        return try await req.render("Training/person", view, title: person.name, status: typed.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func show(req: Request) async throws -> Response { try await show(req, try await person(req)) }

    struct CompletionForm: Content {
        @FormField var course: String = ""
        @FormField var completed_on: String = ""
        @FormField var provider: String = ""
        @FormField var evidence: String = ""
    }

    func recordCompletion(req: Request) async throws -> Response {
        let person = try await person(req)
        let form = try req.form(CompletionForm.self)
        var typed = TypedForm(section: "completion", form: form)
        let course = try await UUID(uuidString: form.course).asyncFlatMap { try await TrainingCourse.find($0, on: req.db) }
        if course == nil { typed.errors.add("course", "Choose the course") }
        let day = Day(parsing: form.completed_on)
        if form.completed_on.isEmpty { typed.errors.add("completed_on", "Enter the date it was completed") }
        else if day == nil { typed.errors.add("completed_on", "Enter the date as a real date, like 2026-04-01 or 01/04/2026") }
        else if day! > req.today { typed.errors.add("completed_on", "The date cannot be in the future") }
        if form.provider.count > 200 { typed.errors.add("provider", "The provider must be 200 characters or fewer") }
        if form.evidence.count > 500 { typed.errors.add("evidence", "The evidence must be 500 characters or fewer") }
        guard typed.errors.isEmpty, let course, let day else { return try await show(req, person, typed: typed) }
        let completion = TrainingCompletion()
        completion.$staff.id = person.id!
        completion.$course.id = course.id!
        completion.completedOn = day.iso
        completion.provider = form.provider
        completion.evidence = form.evidence
        completion.source = "manual"
        completion.recordedBy = req.currentUser?.id
        completion.recordedAt = req.lantern.now()
        try await req.write(completion, .create, .trainingCompletion, detail: "\(course.name) on \(day.iso)")
        return req.redirect(to: "/training/staff/\(person.id!.uuidString)", saying: "\(course.name) recorded as completed on \(day.long).")
    }

    struct LeaverForm: Content {
        @FormField var left_on: String = ""
    }

    func recordLeaver(req: Request) async throws -> Response {
        let person = try await person(req)
        let raw = FormText.trim(try req.form(LeaverForm.self).left_on)
        var typed = TypedForm(section: "leaver", values: ["left_on": raw])
        guard let day = Day(parsing: raw) else {
            typed.errors.add("left_on", raw.isEmpty ? "Enter the last day of employment" : "Enter the date as a real date, like 2026-04-01 or 01/04/2026")
            return try await show(req, person, typed: typed)
        }
        person.leftOn = day.iso
        person.updatedAt = req.lantern.now()
        try await req.write(person, .update, .staffMember, detail: "left on \(day.iso)")
        return req.redirect(to: "/training/staff/\(person.id!.uuidString)", saying: "\(person.name) leaves on \(day.long); their training no longer counts after that day.")
    }
}
