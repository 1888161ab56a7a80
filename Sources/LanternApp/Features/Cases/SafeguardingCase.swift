import Fluent
import Crypto
import Foundation
import LanternCore
import SQLKit
import Vapor

/// A case holds one potential victim (`shared/docs/domain/referrals.md` §3.2): link related
/// cases, never merge them. Identifying details, notes and the account are encrypted; the
/// coarse fields statistics need (age band, gender, nationality, types, location) stay clear.
final class SafeguardingCase: SealedModel, @unchecked Sendable {
    static let schema = "cases"

    @ID(key: .id) var id: UUID?
    @Field(key: "reference") var reference: String
    @OptionalField(key: "concern_id") var concernID: UUID?
    @OptionalParent(key: "owner_id") var owner: User?
    @OptionalParent(key: "team_id") var team: Team?
    @Field(key: "status") var status: String
    @Field(key: "opened_at") var openedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    @Field(key: "age_category") var age: AgeCategory
    @Field(key: "under18_at_exploitation") var under18AtExploitation: Answer
    @Field(key: "gender") var gender: RecordedGender
    @Field(key: "nationality") var nationality: String
    @OptionalField(key: "second_nationality") var secondNationality: String?
    /// Comma-separated `ExploitationType` values.
    @Field(key: "exploitation_types") var exploitationTypes: String
    @Field(key: "county_lines") var countyLines: Bool
    @Field(key: "exploitation_location") var location: ExploitationLocation
    @OptionalField(key: "nrm_consent") var nrmConsent: ConsentDecision?
    @Field(key: "willing_to_cooperate") var willingToCooperate: Bool
    /// The date of the next open deadline on the case, for home pages.
    @OptionalField(key: "next_deadline") var nextDeadline: String?
    /// Blind index of surname and date of birth, for duplicate checks without decrypting.
    @OptionalField(key: "person_index") var personIndex: String?
    /// Processing restricted at the person's request: the case can be read, not changed.
    @OptionalField(key: "restricted_at") var restrictedAt: Date?
    /// The person's data was erased; the coarse columns stay for the statistics.
    @OptionalField(key: "erased_at") var erasedAt: Date?
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    @OptionalField(key: "updated_at") var updatedAt: Date?

    struct Secrets: Codable {
        var firstName = ""
        var lastName = ""
        var aliases = ""
        var nickname = ""
        var dateOfBirth = ""
        var phone = ""
        var email = ""
        var address = ""
        var safeToContact = ""
        var interpreterLanguage = ""
        var indicators: [IndicatorObservation] = []
        var exploitationSummary = ""
        var ukTowns = ""
        var overseasCountries = ""
    }

    init() {
        wrappedKey = Data()
        sealed = Data()
    }

    var types: [ExploitationType] { exploitationTypes.split(separator: ",").compactMap { ExploitationType(rawValue: String($0)) } }
    var isOpen: Bool { status == "open" }

    /// The blind index of surname and date of birth, when both are known, for duplicate checks.
    static func personIndex(_ s: Secrets, lookup: LookupKeys) -> String? {
        let known = !s.lastName.isEmpty && s.lastName.lowercased() != "unknown" && !s.dateOfBirth.isEmpty
        return known ? lookup.blindIndex("\(s.lastName)|\(s.dateOfBirth)", purpose: "person") : nil
    }
}

/// A dated note, encrypted.
final class CaseNote: SealedModel, @unchecked Sendable {
    static let schema = "case_notes"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "written_at") var writtenAt: Date
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    typealias Secrets = String
    init() { wrappedKey = Data(); sealed = Data() }
}

/// A task with a due date; the title is encrypted as it may name people.
final class CaseTask: SealedModel, @unchecked Sendable {
    static let schema = "case_tasks"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @Field(key: "due_on") var dueOn: String
    @OptionalField(key: "done_at") var doneAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    typealias Secrets = String
    init() { wrappedKey = Data(); sealed = Data() }
}

/// A marker (risk to staff, vulnerability, do not write to this address), with who set it,
/// why and when to review it (`referrals.md` §7 markers; `security.md` §2).
final class CaseMarker: SealedModel, @unchecked Sendable {
    static let schema = "case_markers"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @Field(key: "kind") var kind: String
    @Field(key: "set_by") var setBy: UUID
    @Field(key: "set_at") var setAt: Date
    @Field(key: "review_on") var reviewOn: String
    /// The day the person asked for the marker to be reviewed (the privacy notice's right to ask).
    @OptionalField(key: "review_requested_on") var reviewRequestedOn: String?
    @OptionalField(key: "removed_at") var removedAt: Date?
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    typealias Secrets = String

    static let kinds: [(String, String)] = [
        ("risk_to_staff", "Risk to staff"), ("vulnerability", "Vulnerability"),
        ("do_not_write", "Do not write to this address"), ("exploiter_contact", "Exploiters may have contact"),
        ("interpreter", "Needs an interpreter"), ("other", "Other"),
    ]
    init() { wrappedKey = Data(); sealed = Data() }
}

/// A consent decision, with the wording version shown (`referrals.md` §3.4).
final class CaseConsent: Model, @unchecked Sendable {
    static let schema = "case_consents"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @Field(key: "purpose") var purpose: String
    @Field(key: "decision") var decision: ConsentDecision
    @Field(key: "wording_version") var wordingVersion: String
    @Field(key: "method") var method: String
    @Field(key: "given_on") var givenOn: String
    @Field(key: "recorded_by") var recordedBy: UUID
    @Field(key: "recorded_at") var recordedAt: Date
    @OptionalField(key: "withdrawn_on") var withdrawnOn: String?
    /// How consent was withdrawn, typed by the caseworker: sealed under the case's data key, so
    /// it goes when the case's key does.
    @OptionalField(key: "withdrawal_method_sealed") var withdrawalMethodSealed: Data?

    static let purposes: [(String, String)] = [
        ("nrm", "NRM referral (the NRM and the PIN explained)"), ("msvcc_support", "Support under the MSVCC"),
        ("information_sharing", "Sharing information with partner agencies"), ("police_engagement", "Talking to the police"),
    ]
    static let methods: [(String, String)] = [("in_person", "In person"), ("via_interpreter", "Through an interpreter"), ("in_writing", "In writing")]
    init() {}

    func withdrawalMethod(caseKey: SymmetricKey) throws -> String? {
        try withdrawalMethodSealed.map {
            try FieldCipher.open($0, with: caseKey, table: Self.schema, column: "withdrawal_method", recordID: id!.uuidString)
        }
    }

    func setWithdrawalMethod(_ text: String, caseKey: SymmetricKey) throws {
        withdrawalMethodSealed = try FieldCipher.seal(text, with: caseKey, table: Self.schema, column: "withdrawal_method", recordID: id!.uuidString)
    }
}

/// A local action: a safeguarding referral or a partner agency involved (`referrals.md` §3.7).
final class CaseAction: SealedModel, @unchecked Sendable {
    static let schema = "case_actions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @Field(key: "kind") var kind: String
    @Field(key: "sent_on") var sentOn: String
    @Field(key: "status") var status: String
    @Field(key: "recorded_by") var recordedBy: UUID
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    struct Secrets: Codable {
        var recipient = ""
        var theirReference = ""
        var outcome = ""
    }

    static let kinds: [(String, String)] = [
        ("mash_or_csc_referral", "MASH or children's social care referral"), ("ictg_referral", "ICTG referral"),
        ("asc_safeguarding_concern", "Adult social care safeguarding concern (s42)"), ("police_report", "Report to the police"),
        ("msvcc_emergency_support", "MSVCC emergency support (The Salvation Army)"), ("housing", "Housing or homelessness"),
        ("support_organisation", "Support organisation"), ("first_responder_handover", "Hand-over to a First Responder"),
        ("partner_agency", "Partner agency involved"), ("other", "Other"),
    ]
    init() { wrappedKey = Data(); sealed = Data() }
}

/// An NRM referral or Duty to Notify notification (`referrals.md` §3.5, §3.6, §4.2).
final class Notification: SealedModel, @unchecked Sendable {
    static let schema = "nrm_notifications"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @Field(key: "kind") var kind: NotificationKind
    @Field(key: "state") var state: NRMState
    @Field(key: "started_on") var startedOn: String
    @OptionalField(key: "submitted_on") var submittedOn: String?
    @OptionalField(key: "rg_decision_on") var rgDecisionOn: String?
    @OptionalField(key: "cg_decision_on") var cgDecisionOn: String?
    @OptionalField(key: "reconsidering") var reconsidering: DecisionStage?
    @Field(key: "combined_decision") var combinedDecision: Bool
    /// The latest Reasonable and Conclusive Grounds outcomes (true for positive), for the statistics.
    @OptionalField(key: "rg_positive") var rgPositive: Bool?
    @OptionalField(key: "cg_positive") var cgPositive: Bool?
    @Field(key: "anonymous") var anonymous: Bool
    @OptionalField(key: "due_on") var dueOn: String?
    /// Blind index of the Home Office reference.
    @OptionalField(key: "reference_index") var referenceIndex: String?
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    struct Secrets: Codable { var homeOfficeReference = "" }

    init() { wrappedKey = Data(); sealed = Data() }

    var record: NRMLifecycle.Record {
        .init(kind: kind, state: state, submittedOn: submittedOn.flatMap(Day.init(parsing:)),
              rgDecisionOn: rgDecisionOn.flatMap(Day.init(parsing:)), cgDecisionOn: cgDecisionOn.flatMap(Day.init(parsing:)),
              reconsidering: reconsidering, combinedDecision: combinedDecision, rgPositive: rgPositive, cgPositive: cgPositive)
    }
}

/// Every move of a notification: dated, attributed, with a note.
final class NotificationTransition: SealedModel, @unchecked Sendable {
    static let schema = "nrm_transitions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "notification_id") var notification: Notification
    @Field(key: "from_state") var from: NRMState
    @Field(key: "to_state") var to: NRMState
    @Field(key: "on_day") var onDay: String
    @Field(key: "recorded_at") var recordedAt: Date
    @Field(key: "recorded_by") var recordedBy: UUID
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    typealias Secrets = String
    init() { wrappedKey = Data(); sealed = Data() }
}

struct CreateCases: AsyncMigration {
    var name: String { "2026-11-24-create-cases" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SafeguardingCase.schema).id()
            .field("reference", .string, .required)
            .field("concern_id", .uuid)
            .field("owner_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("team_id", .uuid, .references(Team.schema, "id", onDelete: .setNull))
            .field("status", .string, .required)
            .field("opened_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("age_category", .string, .required)
            .field("under18_at_exploitation", .string, .required)
            .field("gender", .string, .required)
            .field("nationality", .string, .required)
            .field("second_nationality", .string)
            .field("exploitation_types", .string, .required)
            .field("county_lines", .bool, .required)
            .field("exploitation_location", .string, .required)
            .field("nrm_consent", .string)
            .field("willing_to_cooperate", .bool, .required)
            .field("next_deadline", .string)
            .field("person_index", .string)
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .field("updated_at", .datetime)
            .unique(on: "reference")
            .create()
        func child(_ schema: String, _ build: (SchemaBuilder) -> SchemaBuilder) async throws {
            try await build(database.schema(schema).id()
                .field("case_id", .uuid, .required, .references(SafeguardingCase.schema, "id", onDelete: .cascade))).create()
        }
        try await child(CaseNote.schema) {
            $0.field("author_id", .uuid).field("written_at", .datetime, .required)
                .field("wrapped_key", .data, .required).field("sealed", .data, .required)
        }
        try await child(CaseTask.schema) {
            $0.field("assignee_id", .uuid).field("due_on", .string, .required).field("done_at", .datetime)
                .field("created_at", .datetime, .required).field("wrapped_key", .data, .required).field("sealed", .data, .required)
        }
        try await child(CaseMarker.schema) {
            $0.field("kind", .string, .required).field("set_by", .uuid, .required).field("set_at", .datetime, .required)
                .field("review_on", .string, .required).field("removed_at", .datetime)
                .field("wrapped_key", .data, .required).field("sealed", .data, .required)
        }
        try await child(CaseConsent.schema) {
            $0.field("purpose", .string, .required).field("decision", .string, .required).field("wording_version", .string, .required)
                .field("method", .string, .required).field("given_on", .string, .required).field("recorded_by", .uuid, .required)
                .field("recorded_at", .datetime, .required).field("withdrawn_on", .string).field("withdrawal_method", .string)
        }
        try await child(CaseAction.schema) {
            $0.field("kind", .string, .required).field("sent_on", .string, .required).field("status", .string, .required)
                .field("recorded_by", .uuid, .required).field("wrapped_key", .data, .required).field("sealed", .data, .required)
        }
        try await child(Notification.schema) {
            $0.field("kind", .string, .required).field("state", .string, .required).field("started_on", .string, .required)
                .field("submitted_on", .string).field("rg_decision_on", .string).field("cg_decision_on", .string)
                .field("reconsidering", .string).field("combined_decision", .bool, .required).field("anonymous", .bool, .required)
                .field("due_on", .string).field("reference_index", .string)
                .field("wrapped_key", .data, .required).field("sealed", .data, .required)
        }
        try await database.schema(NotificationTransition.schema).id()
            .field("notification_id", .uuid, .required, .references(Notification.schema, "id", onDelete: .cascade))
            .field("from_state", .string, .required).field("to_state", .string, .required).field("on_day", .string, .required)
            .field("recorded_at", .datetime, .required).field("recorded_by", .uuid, .required)
            .field("wrapped_key", .data, .required).field("sealed", .data, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "cases_owner_idx").on(SafeguardingCase.schema).column("owner_id").column("status").run()
            try await sql.create(index: "cases_team_idx").on(SafeguardingCase.schema).column("team_id").column("status").run()
            try await sql.create(index: "cases_opened_idx").on(SafeguardingCase.schema).column("opened_at").run()
            // Lists filter on status and order by opening date; the team and owner columns make
            // the need-to-know filter and the count answerable from the index alone.
            try await sql.create(index: "cases_status_opened_idx").on(SafeguardingCase.schema)
                .column("status").column("opened_at").column("team_id").column("owner_id").run()
            try await sql.create(index: "cases_deadline_idx").on(SafeguardingCase.schema).column("status").column("next_deadline").run()
            try await sql.create(index: "cases_person_idx").on(SafeguardingCase.schema).column("person_index").run()
            for table in [CaseNote.schema, CaseTask.schema, CaseMarker.schema, CaseConsent.schema, CaseAction.schema, Notification.schema] {
                try await sql.create(index: "\(table)_case_idx").on(table).column("case_id").run()
            }
            try await sql.create(index: "case_tasks_due_idx").on(CaseTask.schema).column("done_at").column("due_on").run()
            try await sql.create(index: "nrm_notifications_due_idx").on(Notification.schema).column("state").column("due_on").run()
            try await sql.create(index: "nrm_transitions_notification_idx").on(NotificationTransition.schema).column("notification_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [NotificationTransition.schema, Notification.schema, CaseAction.schema, CaseConsent.schema, CaseMarker.schema,
                       CaseTask.schema, CaseNote.schema, SafeguardingCase.schema] {
            try await database.schema(schema).delete()
        }
    }
}

extension SafeguardingCase: ClockStamped {
    func stamp(created: Bool, at time: Date) {
        updatedAt = time
    }
}
