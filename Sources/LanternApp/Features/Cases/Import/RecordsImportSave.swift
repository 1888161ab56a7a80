import Fluent
import Foundation
import LanternCore
import Vapor

extension RecordsImport {
    struct Summary: Encodable {
        let cases: Int
        let referrals: Int
        let concerns: Int
    }

    /// Writes every checked record, sealed as one typed in would be, with its audit row, in one
    /// transaction: all of the files go in, or none of them.
    func save(_ req: Request, files: String) async throws -> Summary {
        precondition(canImport)
        let cipher = req.cipher, lookup = req.lookupKeys, now = req.lantern.now(), by = req.currentUser!.id!
        var caseRecords: [SafeguardingCase] = []
        for row in cases {
            let c = SafeguardingCase()
            c.$owner.id = row.ownerID
            c.status = row.closed == nil ? .open : .closed
            c.openedAt = row.openedOn.noon
            c.closedAt = row.closed?.on.noon
            c.closedReason = row.closed?.reason
            c.nrmConsent = row.consent?.decision
            c.formerReferenceIndex = FormerReference.index(row.formerReference, kind: "case", lookup: lookup)
            var form = row.form
            form.secrets.formerReference = row.formerReference
            try form.apply(to: c, cipher: cipher, lookup: lookup)
            caseRecords.append(c)
        }
        func caseID(_ link: CaseLink) -> UUID {
            switch link {
            case .row(let index): caseRecords[index].id!
            case .existing(let c): c.id!
            }
        }
        var consents: [CaseConsent] = []
        for (row, c) in zip(cases, caseRecords) {
            guard let consent = row.consent else { continue }
            let k = CaseConsent()
            k.id = UUID()
            k.$safeguardingCase.id = c.id!
            k.purpose = "nrm"
            k.decision = consent.decision
            k.wordingVersion = "as recorded in the former system"
            k.method = CaseConsent.formerSystem.0
            k.givenOn = consent.on.iso
            k.recordedBy = by
            k.recordedAt = now
            consents.append(k)
        }
        var referralRecords: [(HomeOfficeReferral, [HomeOfficeReferralTransition], ReferralRow)] = []
        for row in referrals {
            let n = HomeOfficeReferral()
            n.$safeguardingCase.id = caseID(row.link)
            n.kind = row.kind
            n.startedOn = row.startedOn.iso
            n.take(row.history.record)
            let willing: Bool
            switch row.link {
            case .row(let index): willing = caseRecords[index].willingToCooperate
            case .existing(let c): willing = c.willingToCooperate
            }
            n.anonymous = row.kind == .dutyToNotify && !willing
            try n.seal(.init(homeOfficeReference: row.homeOfficeReference), with: cipher)
            if !row.homeOfficeReference.isEmpty { n.referenceIndex = lookup.blindIndex(row.homeOfficeReference, purpose: "home-office-reference") }
            var previous = NRMState.draft
            var transitions: [HomeOfficeReferralTransition] = []
            for (index, step) in row.history.steps.enumerated() {
                let t = HomeOfficeReferralTransition()
                t.$notification.id = n.id!
                t.from = previous
                t.to = step.state
                t.onDay = step.on.iso
                t.recordedAt = now.addingTimeInterval(Double(index) / 1000)
                t.recordedBy = by
                try t.seal(index == 0 ? "Moved in from the former system" : "", with: cipher)
                transitions.append(t)
                previous = step.state
            }
            referralRecords.append((n, transitions, row))
        }
        var concernRecords: [(Concern, [ConcernTeam])] = []
        let teams = try await Team.query(on: req.db).all()
        for row in concerns {
            let routes = ConcernRules.routes(for: row.intake.facts)
            let concern = Concern()
            concern.channel = row.intake.channel
            concern.status = row.status
            concern.receivedAt = row.receivedOn.noon
            concern.acknowledgeBy = ConcernRules.acknowledgeBy(received: row.receivedOn).iso
            concern.acknowledgedAt = row.status == .received ? nil : row.receivedOn.noon
            concern.subject = row.intake.facts.subject
            concern.age = row.intake.facts.age
            concern.childInvolved = row.intake.facts.childInvolved
            concern.immediateDanger = row.intake.immediateDanger
            concern.routes = routes.map(\.rawValue).joined(separator: ",")
            concern.triageOutcome = row.triage ?? (row.link == nil ? nil : .openCase)
            concern.caseID = row.link.map(caseID)
            concern.formerReferenceIndex = FormerReference.index(row.formerReference, kind: "concern", lookup: lookup)
            concern.$team.id = routes.first.flatMap { route in teams.first { $0.name == route.teamName }?.id }
            try concern.seal(row.intake.secrets, with: cipher)
            let links = routes.map { route in
                let link = ConcernTeam()
                link.$concern.id = concern.id!
                link.route = route
                link.$team.id = teams.first { $0.name == route.teamName }?.id
                return link
            }
            if case .row(let index)? = row.link, caseRecords[index].concernID == nil { caseRecords[index].concernID = concern.id }
            concernRecords.append((concern, links))
        }
        let existingCasesLed = concerns.compactMap { row -> (SafeguardingCase, UUID)? in
            guard case .existing(let c)? = row.link, c.concernID == nil else { return nil }
            return (c, concernRecords.first { $0.0.caseID == c.id }!.0.id!)
        }

        let caseRecordsToWrite = caseRecords, consentsToWrite = consents, referralsToWrite = referralRecords, concernsToWrite = concernRecords
        let caseLines = cases.map { (line: $0.line, openedOn: $0.openedOn) }
        let counts = "\(cases.count) cases, \(referrals.count) referrals, \(concerns.count) concerns"
        try await req.db.writeTransaction { db in
            var notes: [AuditNote] = []
            for (row, c) in zip(caseLines, caseRecordsToWrite) {
                c.reference = try await RecordReference.unique(prefix: "CASE", year: row.openedOn.year, in: SafeguardingCase.schema, on: db)
                try await c.create(on: db)
                notes.append(AuditNote(.create, .case, id: c.id!.uuidString, detail: "moved in from \(files), cases line \(row.line); opened on \(row.openedOn.iso)"))
            }
            for k in consentsToWrite {
                try await k.create(on: db)
                notes.append(AuditNote(.create, .caseConsent, id: k.id!.uuidString, detail: "moved in: nrm \(k.decision.rawValue) on \(k.givenOn)"))
            }
            for (n, transitions, row) in referralsToWrite {
                try await n.create(on: db)
                for t in transitions { try await t.create(on: db) }
                if let submitted = row.history.record.submittedOn {
                    try await Disclosure.record(on: db, cipher: cipher, caseID: n.$safeguardingCase.id, on: submitted, recipient: "Home Office (\(n.kind.label))",
                                                what: "\(n.kind.label), recorded in the former system", lawfulBasis: ConsentRules.lawfulBasis(forNotification: n.kind),
                                                by: by, at: now)
                }
                let path = ([NRMState.draft] + row.history.steps.map(\.state)).map(\.rawValue).joined(separator: " -> ")
                notes.append(AuditNote(.create, .homeOfficeReferral, id: n.id!.uuidString, detail: "moved in from \(files), referrals line \(row.line): \(path)"))
            }
            for (concern, links) in concernsToWrite {
                concern.reference = try await RecordReference.unique(prefix: "MS", year: Day(concern.receivedAt).year, in: Concern.schema, on: db)
                try await concern.create(on: db)
                for link in links { try await link.create(on: db) }
                notes.append(AuditNote(.create, .concern, id: concern.id!.uuidString, detail: "moved in from \(files); received on \(Day(concern.receivedAt).iso)"))
            }
            for (c, concernID) in existingCasesLed {
                c.concernID = concernID
                try await c.save(on: db)
            }
            notes.append(AuditNote(.importData, .case, detail: "moved in from \(files): \(counts)"))
            try await req.audit(notes, on: db)
        }
        let today = req.today
        var touched = caseRecords
        for row in referrals { if case .existing(let c) = row.link, !touched.contains(where: { $0.id == c.id }) { touched.append(c) } }
        for c in touched { try await CaseDeadlines.refresh(c, on: req.db, today: today) }
        return Summary(cases: cases.count, referrals: referrals.count, concerns: concerns.count)
    }
}
