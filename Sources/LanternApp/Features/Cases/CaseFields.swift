import Fluent
import Foundation
import LanternCore

/// The details on a case that the person may ask to erase or correct one at a time, such as one
/// phone number, and the records on it they may ask to erase alone (a note, a warning, a file).
/// Referrals and consent records are not offered: they are the record of the duties carried out.
/// Source: UK GDPR Arts. 16 and 17, as the privacy notice explains them.
enum CaseFields {
    static let fields: [PersonalField] = [
        .init(key: "first_name", label: "First name"), .init(key: "last_name", label: "Last name"),
        .init(key: "aliases", label: "Other names"), .init(key: "nickname", label: "Name used during the exploitation"),
        .init(key: "date_of_birth", label: "Date of birth"), .init(key: "phone", label: "Phone number"),
        .init(key: "email", label: "Email address"), .init(key: "address", label: "Address"),
        .init(key: "safe_to_contact", label: "Safe contact arrangements"), .init(key: "interpreter_language", label: "Interpreter language"),
        .init(key: "exploitation_summary", label: "The account of what happened"), .init(key: "uk_towns", label: "Towns in the UK"),
        .init(key: "overseas_countries", label: "Countries abroad"),
    ]

    static let editor = FieldEditor(fields: fields, parts: parts, set: set)

    /// Where each field lives in the sealed record (computed, as key paths are not `Sendable`).
    static var paths: [String: WritableKeyPath<SafeguardingCase.Secrets, String>] {
        ["first_name": \.firstName, "last_name": \.lastName, "aliases": \.aliases, "nickname": \.nickname, "date_of_birth": \.dateOfBirth,
         "phone": \.phone, "email": \.email, "address": \.address, "safe_to_contact": \.safeToContact,
         "interpreter_language": \.interpreterLanguage, "exploitation_summary": \.exploitationSummary, "uk_towns": \.ukTowns,
         "overseas_countries": \.overseasCountries]
    }

    /// The details that hold something, then each record that can go alone, oldest first.
    /// Labels name the kind and date only: whoever decides the request need not read the content.
    @Sendable static func parts(_ context: ErasureContext, _ id: UUID) async throws -> [ErasablePart] {
        guard let c = try await SafeguardingCase.find(id, on: context.db), c.erasedAt == nil else { return [] }
        let s = try c.open(with: context.cipher)
        var parts = fields.filter { paths[$0.key].map { !s[keyPath: $0].isEmpty } ?? false }.map { ErasablePart(.field($0.key), $0.label) }
        for n in try await CaseNote.query(on: context.db).filter(\.$safeguardingCase.$id == id).sort(\.$writtenAt).all() {
            parts.append(.init(.record(table: CaseNote.schema, id: n.id!), "Note written \(DisplayDate.dateTime(n.writtenAt))"))
        }
        for t in try await CaseTask.query(on: context.db).filter(\.$safeguardingCase.$id == id).sort(\.$createdAt).all() {
            parts.append(.init(.record(table: CaseTask.schema, id: t.id!), "Task set \(DisplayDate.dateTime(t.createdAt))"))
        }
        for m in try await CaseMarker.query(on: context.db).filter(\.$safeguardingCase.$id == id).sort(\.$setAt).all() {
            parts.append(.init(.record(table: CaseMarker.schema, id: m.id!), "Warning (\(CasePage.label(CaseMarker.kinds, m.kind).lowercased())) set \(DisplayDate.dateTime(m.setAt))"))
        }
        for a in try await CaseAction.query(on: context.db).filter(\.$safeguardingCase.$id == id).sort(\.$sentOn).all() {
            parts.append(.init(.record(table: CaseAction.schema, id: a.id!), "\(CasePage.label(CaseAction.kinds, a.kind)) on \(PersonSearch.plain(a.sentOn))"))
        }
        for f in try await EvidenceFile.query(on: context.db).filter(\.$ownerType == .case).filter(\.$ownerID == id).sort(\.$uploadedAt).all() {
            parts.append(.init(.record(table: EvidenceFile.schema, id: f.id!), "Evidence file added \(DisplayDate.dateTime(f.uploadedAt))"))
        }
        return parts
    }

    /// Erases (`nil`) or corrects one detail; the duplicate check's index follows the name and date of birth.
    @Sendable static func set(_ context: ErasureContext, _ id: UUID, _ field: String, _ newValue: String?) async throws {
        guard let path = paths[field], let c = try await SafeguardingCase.find(id, on: context.db) else {
            throw LanternError(.badRequest, "There is no detail called \(field) on a case.")
        }
        var s = try c.open(with: context.cipher)
        s[keyPath: path] = newValue ?? ""
        c.personIndex = SafeguardingCase.personIndex(s, lookup: context.lookup)
        c.nameIndex = CaseNameIndex.value(s, lookup: context.lookup) ?? " "
        try c.seal(s, with: context.cipher)
        try await c.save(on: context.db)
    }
}
