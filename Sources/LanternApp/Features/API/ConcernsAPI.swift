import Fluent
import Foundation
import LanternAPI
import LanternCore
import Vapor

/// A concern reported by another system: the staff form's questions, checks and routing
/// (`ConcernIntake`), reported by the token's owner.
extension LanternAPIService {
    func createConcern(_ input: Operations.CreateConcern.Input) async throws -> Operations.CreateConcern.Output {
        let req = try await request(requiring: .reportConcern)
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType) }
        var form = ConcernIntake.Form()
        form.immediate_danger = body.immediateDanger ? "yes" : "no"
        form.police_called = body.policeCalled == true ? "yes" : ""
        form.subject = body.subject.rawValue
        form.who = body.who ?? ""
        form.age = body.age?.rawValue ?? ""
        form.child_involved = body.childInvolved.rawValue
        form.location = body.location.trimmingCharacters(in: .whitespacesAndNewlines)
        form.postcode = (body.postcode ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        form.description = body.description.trimmingCharacters(in: .whitespacesAndNewlines)
        form.indicators = body.indicators ?? []
        form.other_indicators = body.otherIndicators ?? ""
        form.supplier = (body.supplier ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var intake = ConcernIntake(form, files: nil, publicForm: false)
        // The form drops a ticked box it does not know; a system is told.
        for (index, id) in (body.indicators ?? []).enumerated() where IndicatorCatalogue.byID[id] == nil {
            intake.errors.add("indicators/\(index)", "\(id.prefix(60)) is not an indicator on the checklist")
        }
        let owner = req.currentUser!
        intake.channel = body.source.flatMap { ConcernChannel(rawValue: $0.rawValue) } ?? (owner.serviceAccount == true ? .partnerAgency : .staff)
        var supplierID: UUID?
        if !form.supplier.isEmpty {
            supplierID = try await ConcernsController.findSupplier(form.supplier, on: req.db)
            if supplierID == nil { intake.errors.add("supplier", "No supplier on the register has that company number or name") }
        }
        guard intake.errors.isEmpty else { throw APIProblem.invalid(intake.errors) }
        let concern = try await intake.create(req, reportedBy: owner.id, supplierID: supplierID, auditDetail: "API report, \(intake.channel.rawValue)")
        return .created(.init(body: .json(.init(
            id: concern.id!.uuidString, reference: concern.reference,
            routes: concern.routeList.compactMap { .init(rawValue: $0.rawValue) }, acknowledgeBy: concern.acknowledgeBy))))
    }
}
