import Fluent
import Foundation
import LanternCore

/// The organisation's own modern slavery statement for a financial year: a draft whose prose is
/// edited around generated figures, the governing body's approval and the signature, then a
/// published, unchanging HTML page and PDF with the Transparency in Supply Chains statement.
final class AnnualStatement: Model, @unchecked Sendable {
    static let schema = "annual_statements"
    @ID(key: .id) var id: UUID?
    @Field(key: "plan_year") var planYear: Int
    @Field(key: "status") var status: AnnualStatementStatus
    /// Edited prose by `StatementHeading` raw value, as JSON.
    @Field(key: "texts") var texts: Data
    @Field(key: "include_partnership") var includePartnership: Bool
    @OptionalField(key: "approving_body") var approvingBody: String?
    @OptionalField(key: "approved_on") var approvedOn: String?
    @OptionalField(key: "signatory_name") var signatoryName: String?
    @OptionalField(key: "signatory_role") var signatoryRole: String?
    @OptionalField(key: "signed_on") var signedOn: String?
    @OptionalField(key: "published_at") var publishedAt: Date?
    /// The published statement and supply chain statement as blocks (JSON), never recomputed.
    @OptionalField(key: "published") var published: Data?
    @OptionalField(key: "pdf") var pdf: Data?
    @OptionalField(key: "supply_chain_pdf") var supplyChainPDF: Data?
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var isPublished: Bool { status == .published }

    var editedTexts: [StatementHeading: String] {
        let raw = (try? JSONDecoder().decode([String: String].self, from: texts)) ?? [:]
        return Dictionary(uniqueKeysWithValues: raw.compactMap { k, v in StatementHeading(rawValue: k).map { ($0, v) } })
    }

    var approval: (body: String, on: Day)? {
        guard let body = approvingBody, let on = approvedOn.flatMap(Day.init(parsing:)) else { return nil }
        return (body, on)
    }

    var signature: (name: String, role: String, on: Day)? {
        guard let name = signatoryName, let role = signatoryRole, let on = signedOn.flatMap(Day.init(parsing:)) else { return nil }
        return (name, role, on)
    }
}

/// What is published: both statements as blocks, the same blocks the PDFs are drawn from.
struct PublishedStatements: Codable {
    struct Block: Codable { let kind: String; let text: String }
    let statement: [Block]
    let supplyChains: [Block]
    let publishedOn: String
}

struct CreateAnnualStatements: AsyncMigration {
    var name: String { "2026-11-24-create-annual-statements" }
    func prepare(on database: any Database) async throws {
        try await database.schema(AnnualStatement.schema).id()
            .field("plan_year", .int, .required).field("status", .string, .required).field("texts", .data, .required)
            .field("include_partnership", .bool, .required).field("approving_body", .string).field("approved_on", .string)
            .field("signatory_name", .string).field("signatory_role", .string).field("signed_on", .string)
            .field("published_at", .datetime).field("published", .data).field("pdf", .data).field("supply_chain_pdf", .data)
            .field("updated_at", .datetime, .required)
            .unique(on: "plan_year").create()
    }
    func revert(on database: any Database) async throws { try await database.schema(AnnualStatement.schema).delete() }
}

/// The statement's text as headed blocks: the same for the page, the PDF and the checker.
enum StatementDocument {
    static func blocks(_ f: StatementFacts, texts: [StatementHeading: String], approval: (body: String, on: Day)?,
                       signature: (name: String, role: String, on: Day)?) -> [TextPDF.Block] {
        var blocks: [TextPDF.Block] = [.title("\(f.organisation): Modern Slavery and Human Trafficking Statement \(f.year)")]
        for section in OrganisationStatement.sections(f, text: texts) {
            blocks.append(.heading(section.heading.title))
            blocks += paragraphs(section.text)
            blocks += section.figures.map { .paragraph($0) }
            if section.heading == .effectiveness, !f.businessAsUsual.isEmpty {
                blocks.append(.paragraph("Now part of business as usual: " + f.businessAsUsual.joined(separator: "; ") + "."))
            }
        }
        if let summary = f.partnershipSummary {
            blocks.append(.heading("Modern slavery in our area"))
            blocks.append(.paragraph(summary))
        }
        let plan = OrganisationStatement.plan(f)
        if !plan.isEmpty {
            blocks.append(.heading("Our plan for \(f.nextYear)"))
            for (area, lines) in plan {
                blocks.append(.paragraph("\(area.label): " + lines.joined(separator: "; ") + "."))
            }
        }
        if approval != nil || signature != nil { blocks.append(.heading("Approval")) }
        if let approval {
            blocks.append(.paragraph(OrganisationStatement.approval(organisation: f.organisation, body: approval.body, approvedOn: approval.on, year: f.year)))
        }
        if let signature {
            blocks.append(.paragraph(OrganisationStatement.signature(name: signature.name, role: signature.role, signedOn: signature.on)))
        }
        return blocks
    }

    static func supplyChainBlocks(_ f: StatementFacts) -> [TextPDF.Block] {
        var blocks: [TextPDF.Block] = [.title("\(f.organisation): Transparency in Supply Chains Statement \(f.year)")]
        blocks.append(.paragraph("This statement accompanies our Modern Slavery Statement for \(f.year) and sets out where the risks of modern slavery in our supply chains are and how we mitigate them."))
        for (title, lines) in OrganisationStatement.supplyChains(f) {
            blocks.append(.heading(title))
            blocks += lines.map { .paragraph($0) }
        }
        return blocks
    }

    static func paragraphs(_ text: String) -> [TextPDF.Block] {
        text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { .paragraph($0) }
    }

    /// Plain text with blank lines between blocks, as the statement checker reads a document.
    static func text(_ blocks: [TextPDF.Block]) -> String {
        blocks.map { block in
            switch block { case .title(let t), .heading(let t), .paragraph(let t): t }
        }.joined(separator: "\n\n")
    }

    static func encoded(_ blocks: [TextPDF.Block]) -> [PublishedStatements.Block] {
        blocks.map { block in
            switch block {
            case .title(let t): .init(kind: "title", text: t)
            case .heading(let t): .init(kind: "heading", text: t)
            case .paragraph(let t): .init(kind: "paragraph", text: t)
            }
        }
    }
}

/// Where the organisation's statement has reached: drafted, approved by the governing body, published.
enum AnnualStatementStatus: String, Codable, CaseIterable, Sendable {
    case draft, approved, published
}
