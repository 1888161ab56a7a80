import Fluent
import Foundation
import LanternCore

/// The demo council's action plan for this financial year and the next, and the
/// recommendations of its last internal audit, in the shape the seeds describe.
enum ActionPlanDemoData {
    static func seed(on db: any Database, year: FinancialYear, author: User?, now: Date) async throws {
        let today = Day(now)
        let audit = "Modern Slavery Internal Audit Review"
        var recommendations: [String: AuditRecommendation] = [:]
        let recs: [(String, String, RecommendationPriority, String, String, RecommendationStatus, String)] = [
            ("MSA-01", "Obtain a modern slavery statement for every contract over £25,000, whatever the route to market.", .high,
             "Refresher for procurement staff on statements for contracts over £25,000.", "Procurement Manager", .agreed, ""),
            ("MSA-02", "Include an element on ethical procurement in contract management training.", .medium,
             "Contract management training to cover ethical procurement and modern slavery.", "Strategic Commissioning Group", .agreed, ""),
            ("MSA-03", "Develop a toolkit for services that find modern slavery in a supply chain.", .medium,
             "Modern Slavery Toolkit for services.", "Procurement Manager", .open, ""),
            ("MSA-04", "Consider which staff in Place and Social Care would benefit from formal training.", .low,
             "Training needs analysis with directorate management teams.", "Learning and Development Manager", .implemented,
             "Training requirements set by job title and directorate in the training dashboard."),
        ]
        for (reference, text, priority, action, owner, status, response) in recs {
            let r = AuditRecommendation()
            r.reference = reference; r.auditName = audit; r.raisedOn = today.adding(days: -120).iso; r.recommendation = text; r.priority = priority
            r.agreedAction = action; r.owner = owner; r.dueOn = today.adding(days: 90).iso; r.status = status; r.response = response
            r.closedOn = status.isClosed ? today.adding(days: -20).iso : nil; r.createdAt = now
            try await r.create(on: db)
            recommendations[reference] = r
        }
        let actions: [(Int, PlanArea, String, String, Int?, ActionStatus, Bool, String?, String?)] = [
            (0, .definingRisks, "Publish this year's statement and promote it on the intranet once Cabinet approves it.", "Head of Procurement", 60, .inProgress, false, nil,
             "Draft discussed at the Strategic Commissioning Group."),
            (0, .definingRisks, "Risk workshop for managers on modern slavery risks the council faces.", "Risk Manager", -10, .notStarted, false, nil, nil),
            (0, .prevention, "Continue co-delivering the Understanding Exploitation course with the police.", "Safeguarding Partnership", nil, .done, true, nil,
             "Sessions held in June and September; more scheduled through the learning system."),
            (0, .prevention, "Refresher for procurement staff on statements for contracts over £25,000.", "Procurement Manager", 30, .inProgress, false, "MSA-01",
             "Slides drafted; session booked."),
            (0, .detection, "Contract management training including ethical procurement.", "Strategic Commissioning Group", 120, .inProgress, false, "MSA-02", nil),
            (0, .response, "Refer any contractor identified as a cause for concern to the NRM and the police.", "Procurement Manager", nil, .done, true, nil,
             "No contractor was identified as a cause for concern this year."),
            (0, .evaluation, "Mid-year progress report to the Strategic Commissioning Group.", "Head of Procurement", -30, .done, false, nil, "Presented in October."),
            (1, .response, "Modern Slavery Toolkit for services.", "Procurement Manager", 300, .notStarted, false, "MSA-03", nil),
            (1, .prevention, "Member training on modern slavery with an external provider.", "Democratic Services", 270, .notStarted, false, nil, nil),
        ]
        for (offset, area, title, owner, dueIn, status, bau, rec, note) in actions {
            let a = PlanAction()
            a.planYear = year.endYear + offset; a.area = area; a.title = title; a.detail = ""; a.owner = owner
            a.dueOn = dueIn.map { today.adding(days: $0).iso }; a.status = status; a.businessAsUsual = bau
            a.recommendationID = rec.flatMap { recommendations[$0]?.id }; a.createdAt = now; a.updatedAt = now
            try await a.create(on: db)
            if let note {
                let n = PlanProgressNote()
                n.$action.id = a.id!; n.notedOn = today.adding(days: -14).iso; n.text = note; n.authorID = author?.id
                n.authorName = author?.displayName ?? "Safeguarding lead"; n.createdAt = now
                try await n.create(on: db)
            }
        }
    }
}
