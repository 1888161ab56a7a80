/// Suppliers' named contacts, for the registry (`PersonalDataRegistry`).
enum SuppliersPersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: SupplierContact.schema, subject: .supplierContact, link: .itself, ownKey: false,
                          clearPersonalColumns: ["name", "email", "phone"], retention: .supplierRecords, erasure: .delete),
    ]
}
