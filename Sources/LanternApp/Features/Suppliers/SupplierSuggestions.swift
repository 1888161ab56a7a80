import Fluent
import Foundation
import LanternCore
import Vapor

/// Registered suppliers whose name or Companies House number matches what is being typed, for
/// the supplier box on the contract form (`/js/supplier-autocomplete.js`). The box works as a
/// plain text field without it: the form finds the supplier by name or number on submit.
struct SupplierSuggestions: RouteCollection {
    static let limit = 10

    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.viewSuppliers).get("suppliers", "suggest", use: suggest)
    }

    struct Suggestion: Content {
        let name: String
        let companyNumber: String?
        /// What the box is filled with when chosen: the number where there is one, being unique.
        let value: String
    }

    func suggest(req: Request) async throws -> [Suggestion] {
        let typed = String(req.queryValue("q").trimmingCharacters(in: .whitespaces).prefix(100))
        guard typed.count >= 2 else { return [] }
        let matches = try await SuppliersController.filtered(SuppliersController.Filters { $0 == "q" ? typed : "" }, today: req.today, on: req.db)
            .sort(\.$nameKey).limit(Self.limit).all()
        return matches.map { Suggestion(name: $0.name, companyNumber: $0.companyNumber, value: $0.companyNumber ?? $0.name) }
    }
}
