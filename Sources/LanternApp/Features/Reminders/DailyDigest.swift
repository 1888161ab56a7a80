import Fluent
import Foundation
import LanternCore
import Vapor

/// Each person's daily email of what is due or overdue for them within the week, as counts and
/// a link: no case content, no names and no references that identify a case (issue 22, item 4).
/// Queued once a day for each person who wants it (`User.dailyDigest`), with one message per
/// person per day however many instances ask.
enum DailyDigest {
    /// Items due within this many days are counted, besides the overdue ones.
    static let horizonDays = 7

    struct Line: Equatable, Sendable {
        let count: Int
        let what: String
        var text: String { "\(count) \(what)" }
    }

    /// What is due for `user` on `today`, by kind. Only what their role lets them see is counted.
    static func lines(for user: User, on db: any Database, today: Day) async throws -> [Line] {
        let horizon = today.adding(days: horizonDays).iso
        var lines: [Line] = []
        func add(_ count: Int, _ one: String, _ many: String) { if count > 0 { lines.append(Line(count: count, what: count == 1 ? one : many)) } }
        let id = try user.requireID()

        if user.can(.viewCases) {
            let owned = try await SafeguardingCase.query(on: db).filter(\.$owner.$id == id).filter(\.$status == .open).all().compactMap(\.id)
            // Tasks given to them, and unassigned tasks on the cases they hold.
            let tasks = try await CaseTask.query(on: db).filter(\.$doneAt == nil).filter(\.$dueOn <= horizon)
                .group(.or) { either in
                    either.filter(\.$assigneeID == id)
                    if !owned.isEmpty { either.group(.and) { $0.filter(\.$assigneeID == nil).filter(\.$safeguardingCase.$id ~~ owned) } }
                }.count()
            add(tasks, "case task due or overdue", "case tasks due or overdue")
            if !owned.isEmpty {
                // Referrals and notifications whose next step falls due: a draft to finish, or a
                // Reasonable Grounds decision awaited past its expected time.
                let referrals = try await HomeOfficeReferral.query(on: db).filter(\.$safeguardingCase.$id ~~ owned)
                    .filter(\.$state ~~ [.draft, .submitted, .awaitingRG]).all()
                let due = referrals.compactMap { NRMLifecycle.deadline(for: $0.record, today: today, draftStarted: Day(parsing: $0.startedOn)) }
                    .filter { $0.due.iso <= horizon }
                add(due.count, "referral or notification needing action", "referrals or notifications needing action")
                let markers = try await CaseMarker.query(on: db).filter(\.$safeguardingCase.$id ~~ owned)
                    .filter(\.$reviewOn <= horizon).filter(\.$removedAt == nil).count()
                add(markers, "case marker due for review", "case markers due for review")
            }
        }
        if user.can(.managePrivacyRequests) {
            let access = try await SubjectAccessRequest.query(on: db).filter(\.$status ~~ [.received, .review]).all()
                .filter { ($0.extendedDueOn ?? $0.dueOn) <= horizon }.count
            add(access, "subject access request due", "subject access requests due")
            let rights = try await PrivacyRequest.query(on: db).filter(\.$decision == .pending).filter(\.$dueOn <= horizon).count()
            add(rights, "privacy request due", "privacy requests due")
        }
        if user.can(.editContracts) {
            let reviews = try await Contract.query(on: db).filter(\.$contractManager.$id == id).filter(\.$status == .active)
                .filter(\.$nextReviewDate <= horizon).count()
            add(reviews, "contract review due", "contract reviews due")
        }
        if user.can(.editActionPlan) {
            let actions = try await PlanAction.query(on: db).filter(\.$status ~~ [.notStarted, .inProgress]).filter(\.$dueOn <= horizon).count()
            add(actions, "action plan item due", "action plan items due")
            let recommendations = try await AuditRecommendation.query(on: db).filter(\.$status ~~ [.open, .agreed]).filter(\.$dueOn <= horizon).count()
            add(recommendations, "audit recommendation due", "audit recommendations due")
        }
        if user.can(.attendMeetings) {
            // Partnership meeting actions given to them, or to their organisation.
            let actions = try await MeetingAction.query(on: db).filter(\.$doneAt == nil).filter(\.$dueOn <= horizon).group(.or) { either in
                either.filter(\.$ownerUserID == id)
                if let partner = user.partnerID { either.filter(\.$ownerPartnerID == partner) }
            }.count()
            add(actions, "partnership meeting action due", "partnership meeting actions due")
        }
        // Their own training, and their team's where they manage people on the staff list.
        let mine = try await TrainingPicture.load(on: db, today: today, staffIDs: try await StaffMember.query(on: db)
            .filter(\.$email == user.email).all().compactMap(\.id))
        add(mine.entries.filter { [.overdue, .dueSoon, .neverTrained].contains($0.state.status) }.count,
            "of your training courses due", "of your training courses due")
        let team = try await TrainingPicture.load(on: db, today: today, managerEmail: user.email)
        add(team.count(.overdue), "training course overdue in your team", "training courses overdue in your team")
        return lines
    }

    /// The email: counts only, and a link to the home page.
    static func message(to user: User, lines: [Line], link: String) -> MailMessage {
        let total = lines.map(\.count).reduce(0, +)
        return MailMessage(to: user.email, subject: "You have \(total) item\(total == 1 ? "" : "s") due this week in Lantern", body: """
            You have \(total) item\(total == 1 ? "" : "s") due or overdue in Lantern this week:

            \(lines.map { "- " + $0.text }.joined(separator: "\n"))

            Sign in to see them:

            \(link)

            You can stop these emails from Email reminders under your account.
            """)
    }

    /// Queues today's digest for everyone who wants one and has something due.
    @discardableResult
    static func queue(_ app: Application, today: Day) async throws -> Int {
        let people = try await User.query(on: app.db).filter(\.$isActive == true).filter(\.$passwordHash != nil).sort(\.$email).all()
        var queued = 0
        for person in people where person.dailyDigest != false {
            let lines = try await lines(for: person, on: app.db, today: today)
            guard !lines.isEmpty else { continue }
            try await Mailbox.enqueue(message(to: person, lines: lines, link: Mailbox.link(app, "/home")), kind: "daily-digest",
                                      dedupeKey: "digest|\(person.id!.uuidString)|\(today.iso)", on: app.db, cipher: app.lantern.cipher, now: app.lantern.now())
            queued += 1
        }
        return queued
    }
}
