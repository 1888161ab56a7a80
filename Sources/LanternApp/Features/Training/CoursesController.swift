import Fluent
import Foundation
import LanternCore
import Vapor

/// Courses, how often they are refreshed, and who must take them.
struct CoursesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.viewTraining).get("training", "courses", use: list)
        let manage = routes.requiring(.manageTraining).grouped("training", "courses")
        manage.post(use: create)
        manage.post(":courseID", "requirements", use: addRequirement)
        manage.post(":courseID", "requirements", ":requirementID", "remove", use: removeRequirement)
    }

    struct CourseRow: Encodable {
        struct Requirement: Encodable { let id: String; let who: String }
        let id: String
        let name: String
        let description: String
        let refresh: String
        let newStarterDays: Int
        let requirements: [Requirement]
        /// This course's "require it for more staff" errors, shown beside its fields.
        var scopeError: String?
        var fieldError: String?
    }

    struct View: Encodable {
        let courses: [CourseRow]
        let canManage: Bool
        let typed: TypedForm
        let errors: FormErrors
    }

    private func list(_ req: Request, typed: TypedForm = TypedForm()) async throws -> Response {
        let courses = try await TrainingCourse.query(on: req.db).sort(\.$name).all()
        let requirements = Dictionary(grouping: try await TrainingRequirement.query(on: req.db).sort(\.$createdAt).all(), by: { $0.$course.id })
        let rows = courses.map { c in
            CourseRow(id: c.id!.uuidString, name: c.name, description: c.description, refresh: c.refreshLabel, newStarterDays: c.newStarterDays,
                      requirements: (requirements[c.id!] ?? []).map { .init(id: $0.id!.uuidString, who: $0.rule.description) },
                      scopeError: typed.errors.byField["scope-\(c.id!.uuidString)"],
                      fieldError: ["job_title", "team", "directorate"].lazy.compactMap { typed.errors.byField["\($0)-\(c.id!.uuidString)"] }.first)
        }
        return try await req.render("Training/courses", View(courses: rows, canManage: req.currentUser!.can(.manageTraining), typed: typed, errors: typed.errors),
                                    title: "Training courses", status: typed.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func list(req: Request) async throws -> Response { try await list(req) }

    struct CourseForm: Content {
        @FormField var name: String = ""
        @FormField var description: String = ""
        @FormField var refresh_months: String = ""
        @FormField var new_starter_days: String = ""
    }

    func create(req: Request) async throws -> Response {
        let form = try req.form(CourseForm.self)
        var typed = TypedForm(section: "course", form: form)
        let name = form.name
        if name.isEmpty { typed.errors.add("name", "Enter the course's name") }
        else if name.count > 200 { typed.errors.add("name", "The name must be 200 characters or fewer") }
        else if try await TrainingCourse.query(on: req.db).filter(\.$name == name).first() != nil {
            typed.errors.add("name", "There is already a course called \(name)")
        }
        if form.description.count > 2000 { typed.errors.add("description", "The description must be 2000 characters or fewer") }
        var refresh: Int?
        let rawRefresh = form.refresh_months
        if !rawRefresh.isEmpty && rawRefresh != "0" {
            refresh = Int(rawRefresh)
            if refresh == nil || !(1...120).contains(refresh!) {
                typed.errors.add("refresh_months", "Enter how many months until it must be done again, from 1 to 120, or leave it empty if it is done once")
            }
        }
        let rawDays = form.new_starter_days
        let days = rawDays.isEmpty ? TrainingCompliance.defaultNewStarterDays : Int(rawDays)
        if days == nil || !(0...365).contains(days!) { typed.errors.add("new_starter_days", "Enter the days a new starter has, from 0 to 365") }
        guard typed.errors.isEmpty, let days else { return try await list(req, typed: typed) }
        let course = TrainingCourse()
        course.name = name
        course.description = form.description
        course.refreshMonths = refresh
        course.newStarterDays = days
        course.createdAt = req.lantern.now()
        try await req.write(course, .create, .trainingCourse, detail: name)
        return req.redirect(to: "/training/courses#course-\(course.id!.uuidString)", saying: "Course \(name) added. Now say who must take it.")
    }

    struct RequirementForm: Content {
        /// `all` or `some`: asked outright, so an empty form never requires a course of everyone.
        @FormField var scope: String = ""
        @FormField var job_title: String = ""
        @FormField var team: String = ""
        @FormField var directorate: String = ""
    }

    func addRequirement(req: Request) async throws -> Response {
        guard let id = req.parameters.get("courseID", as: UUID.self), let course = try await TrainingCourse.find(id, on: req.db) else {
            throw LanternError.notFound
        }
        let form = try req.form(RequirementForm.self)
        var typed = TypedForm(section: "requirement", form: form)
        typed.values["course"] = id.uuidString
        let matching = [form.job_title, form.team, form.directorate].contains { !$0.isEmpty }
        switch form.scope {
        case "all" where matching:
            typed.errors.add("scope-\(id.uuidString)", "Choose \u{201C}Staff who match\u{201D} to require it of some staff, or empty the job title, team and directorate")
        case "all": break
        case "some" where !matching:
            typed.errors.add("job_title-\(id.uuidString)", "Enter a job title, team or directorate, or choose all staff")
        case "some": break
        default: typed.errors.add("scope-\(id.uuidString)", "Choose who must take the course")
        }
        for (field, value) in [("job_title", form.job_title), ("team", form.team), ("directorate", form.directorate)] where value.count > 200 {
            typed.errors.add("\(field)-\(id.uuidString)", "The \(field.replacingOccurrences(of: "_", with: " ")) must be 200 characters or fewer")
        }
        guard typed.errors.isEmpty else { return try await list(req, typed: typed) }
        let requirement = TrainingRequirement()
        requirement.$course.id = id
        requirement.jobTitle = form.job_title.isEmpty ? nil : form.job_title
        requirement.team = form.team.isEmpty ? nil : form.team
        requirement.directorate = form.directorate.isEmpty ? nil : form.directorate
        if form.scope == "all", !req.isConfirmed {
            let staff = try await StaffMember.query(on: req.db).count()
            return try await req.confirmation("Require \(course.name) of all staff?",
                                              ["All \(staff) staff on the staff list will count as needing it, and each one without a completion will show as not compliant."],
                                              button: "Yes, require it of all staff", cancel: "/training/courses#course-\(id.uuidString)")
        }
        requirement.createdAt = req.lantern.now()
        try await req.write(requirement, .create, .trainingRequirement, detail: "\(course.name): \(requirement.rule.description)")
        return req.redirect(to: "/training/courses#course-\(id.uuidString)", saying: "\(course.name) is now required for \(requirement.rule.description).")
    }

    func removeRequirement(req: Request) async throws -> Response {
        guard let courseID = req.parameters.get("courseID", as: UUID.self), let id = req.parameters.get("requirementID", as: UUID.self),
              let requirement = try await TrainingRequirement.find(id, on: req.db), requirement.$course.id == courseID else {
            throw LanternError.notFound
        }
        guard req.isConfirmed else {
            return try await req.confirmation("Stop requiring this course of \(requirement.rule.description)?",
                                              ["The staff it covers will no longer count as needing it, and the compliance figures will change. Completions already recorded are kept."],
                                              button: "Yes, remove the requirement", cancel: "/training/courses#course-\(courseID.uuidString)")
        }
        try await req.db.writeTransaction { db in
            try await requirement.delete(on: db)
            try await req.audit(.delete, .trainingRequirement, id: id.uuidString, detail: requirement.rule.description, on: db)
        }
        return req.redirect(to: "/training/courses#course-\(courseID.uuidString)", saying: "Requirement removed.")
    }
}
