import Fluent
import Foundation
import LanternCore

struct CreateSuppliers: AsyncMigration {
    var name: String { "2026-11-24-create-suppliers" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Supplier.schema)
            .id()
            .field("name", .string, .required)
            .field("name_key", .string, .required)
            .field("company_number", .string)
            .field("address", .string)
            .field("sectors", .string, .required)
            .field("countries_operation", .string, .required)
            .field("countries_sourcing", .string, .required)
            .field("turnover_band", .string)
            .field("parent_company", .string)
            .field("sq_relevant", .string)
            .field("sq_compliant", .string)
            .field("sq_statement_url", .string)
            .field("sq_explanation", .string)
            .field("sq_answered_on", .string)
            .field("declaration_not_involved", .bool)
            .field("declaration_not_investigated", .bool)
            .field("declaration_signed_by", .string)
            .field("declaration_signed_role", .string)
            .field("declaration_signed_on", .string)
            .field("statement_check_id", .uuid)
            .field("statement_url", .string)
            .field("statement_period_end", .string)
            .field("statement_gaps", .int)
            .field("import_batch_id", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        // Covers the name and sector filters, so counting matches reads the index, not the rows.
        try await sql.create(index: "suppliers_name_key_idx").on(Supplier.schema).column("name_key").column("sectors").run()
        try await sql.create(index: "suppliers_company_number_idx").on(Supplier.schema).column("company_number").run()
        try await DatabaseSetup.createSubstringIndex(database, name: "suppliers_name_key_trgm_idx", table: Supplier.schema, column: "name_key")
        try await DatabaseSetup.createSubstringIndex(database, name: "suppliers_sectors_trgm_idx", table: Supplier.schema, column: "sectors")
        // Standing filters and their sort by name are served from one index.
        try await sql.create(index: "suppliers_statement_gaps_idx").on(Supplier.schema).column("statement_gaps").column("name_key").run()

        try await database.schema(SupplierContact.schema)
            .id()
            .field("supplier_id", .uuid, .required, .references(Supplier.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("email", .string, .required)
            .field("phone", .string, .required)
            .create()
        try await sql.create(index: "supplier_contacts_supplier_idx").on(SupplierContact.schema).column("supplier_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SupplierContact.schema).delete()
        try await database.schema(Supplier.schema).delete()
    }
}
