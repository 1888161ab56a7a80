import Fluent
import Foundation
import LanternCore

/// A person at the supplier to contact about modern slavery due diligence.
final class SupplierContact: Model, @unchecked Sendable {
    static let schema = "supplier_contacts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "supplier_id") var supplier: Supplier
    @Field(key: "name") var name: String
    @Field(key: "role") var role: String
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String

    init() {}

    init(supplierID: UUID, name: String, role: String, email: String, phone: String) {
        self.$supplier.id = supplierID
        self.name = name
        self.role = role
        self.email = email
        self.phone = phone
    }
}
