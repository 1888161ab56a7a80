import Fluent
import Foundation
import LanternCore

/// The demo council's courses, who must take them, a staff list and their completions: some in
/// date, some due soon, some expired, some never done, so the dashboard shows every status.
enum TrainingDemoData {
    static func seed(on db: any Database, users: [Role: User], now: Date) async throws {
        let today = Day(now)
        func course(_ name: String, _ description: String, refresh: Int?, days: Int) async throws -> TrainingCourse {
            let c = TrainingCourse()
            c.name = name; c.description = description; c.refreshMonths = refresh; c.newStarterDays = days; c.createdAt = now
            try await c.create(on: db)
            return c
        }
        let awareness = try await course("Modern slavery awareness", "What modern slavery looks like and how to report a concern.", refresh: 24, days: 30)
        let exploitation = try await course("Understanding Exploitation", "Co-delivered with the police: criminal, sexual and labour exploitation, NRM and Duty to Notify.", refresh: 36, days: 90)
        let ethical = try await course("CIPS Ethical Procurement and Supply", "The annual CIPS online course and test for everyone who buys.", refresh: 12, days: 30)
        func require(_ course: TrainingCourse, jobTitle: String? = nil, directorate: String? = nil) async throws {
            let r = TrainingRequirement()
            r.$course.id = course.id!; r.jobTitle = jobTitle; r.directorate = directorate; r.createdAt = now
            try await r.create(on: db)
        }
        try await require(awareness)
        try await require(exploitation, directorate: "Adult Social Care")
        try await require(exploitation, directorate: "Children's Services")
        try await require(ethical, jobTitle: "Procurement Officer")
        try await require(ethical, jobTitle: "Contract Manager")

        let lead = users[.safeguardingLead]!.email, procurement = users[.procurementOfficer]!.email, training = users[.trainingManager]!.email
        // (number, name, job title, directorate, manager, started days ago, completions: course → days ago)
        let people: [(String, String, String, String, String, Int, [(TrainingCourse, Int)])] = [
            ("E1001", "Sam Okafor", "Safeguarding Lead", "Adult Social Care", training, 2200, [(awareness, 200), (exploitation, 400)]),
            ("E1002", "Priya Shah", "Social Worker", "Children's Services", lead, 900, [(awareness, 700), (exploitation, 1200)]),
            ("E1003", "Dev Patel", "Social Worker", "Children's Services", lead, 600, [(awareness, 100)]),
            ("E1004", "Hannah Lowe", "Occupational Therapist", "Adult Social Care", lead, 1500, [(awareness, 715), (exploitation, 300)]),
            ("E1005", "Tom Price", "Care Coordinator", "Adult Social Care", lead, 12, []),
            ("E1006", "Jordan Ellis", "Procurement Officer", "Corporate Services", training, 1800, [(awareness, 50), (ethical, 350)]),
            ("E1007", "Chris Walker", "Contract Manager", "Corporate Services", procurement, 1300, [(awareness, 400), (ethical, 500)]),
            ("E1008", "Aisha Khan", "Procurement Officer", "Corporate Services", procurement, 400, [(awareness, 380)]),
            ("E1009", "Morgan Reid", "Learning and Development Manager", "Corporate Services", lead, 3000, [(awareness, 30)]),
            ("E1010", "Lee Turner", "Housing Officer", "Place", training, 2500, []),
        ]
        for (number, name, job, directorate, manager, startedDaysAgo, done) in people {
            let p = StaffMember()
            p.staffNumber = number; p.name = name; p.jobTitle = job; p.directorate = directorate
            p.email = name.lowercased().replacingOccurrences(of: " ", with: ".") + "@" + DemoData.emailDomain
            p.managerEmail = manager; p.startedOn = today.adding(days: -startedDaysAgo).iso; p.updatedAt = now
            try await p.create(on: db)
            for (course, daysAgo) in done {
                let c = TrainingCompletion()
                c.$staff.id = p.id!; c.$course.id = course.id!; c.completedOn = today.adding(days: -daysAgo).iso
                c.provider = course === ethical ? "CIPS" : "Learning Pool"; c.evidence = "Learning record"; c.source = "manual"; c.recordedAt = now
                try await c.create(on: db)
            }
        }
        try await seedOutreach(on: db, today: today, now: now)
    }

    /// Sessions for people beyond the staff: one for professionals, one for a community group.
    static func seedOutreach(on db: any Database, today: Day, now: Date) async throws {
        let sessions: [(String, Int, OutreachAudience, String, String, [(String, Int)], Int, Int)] = [
            ("Understanding Exploitation", 40, .professionals, "health", "Safeguarding Partnership with the police",
             [("Borough GP practices", 14), ("Community pharmacies", 6), ("Hospital emergency department", 9)], 24, 22),
            ("Spot the signs: exploitation in local businesses", 75, .community, "faith and community groups", "Community Safety team",
             [("Members of the public", 18), ("Riverside residents' association", 7)], 15, 13),
        ]
        for (title, daysAgo, audience, sector, by, attendance, responses, useful) in sessions {
            let e = OutreachEvent()
            e.title = title; e.heldOn = today.adding(days: -daysAgo).iso; e.audience = audience; e.sector = sector; e.deliveredBy = by
            e.materials = "Slides and the local referral pathway leaflet"; e.feedbackResponses = responses; e.feedbackUseful = useful
            e.feedbackNotes = ""; e.recordedAt = now
            try await e.create(on: db)
            for (organisation, n) in attendance {
                let a = OutreachAttendance()
                a.$event.id = e.id!; a.organisation = organisation; a.attendees = n
                try await a.create(on: db)
            }
        }
    }
}
