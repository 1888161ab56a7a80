import Fluent
import Foundation
import Testing
@testable import LanternApp

/// Models read from hand-written statements name their fields by hand; this keeps the lists
/// equal to the models', so a field added to a model and not to its list fails here.
@Suite struct RowDecodingTests {
    func check<M: RowDecodable>(_ type: M.Type) {
        let model = M()
        let listed = model.storedFields.flatMap(\.keys).map(\.description)
        #expect(listed == M.columnNames, "\(M.schema): stored fields and column names differ")
        let reflected = Set(model.properties.compactMap { $0 as? any AnyDatabaseProperty }.flatMap(\.keys).map(\.description))
        #expect(Set(M.columnNames) == reflected, "\(M.schema): the list misses or adds a field")
    }

    @Test func everyHandListedModelNamesEachOfItsFields() {
        check(User.self)
        check(CaseTask.self)
        check(HomeOfficeReferral.self)
        check(HomeOfficeReferralTransition.self)
        check(CaseNote.self)
        check(CaseMarker.self)
        check(CaseConsent.self)
        check(CaseAction.self)
        check(EvidenceFile.self)
        check(Team.self)
        check(Supplier.self)
        check(Contract.self)
        check(APIToken.self)
        check(SafeguardingCase.self)
    }
}
