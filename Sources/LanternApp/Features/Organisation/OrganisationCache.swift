import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// The organisation's row, kept in memory: every page's header names it, and reading it per
/// request was one statement in every page's few. A change saved on this instance replaces it
/// at once (`Forget`, a model middleware); a change saved on another instance is seen here within
/// `freshFor` (`LanternConfiguration.organisationFreshFor`). The row is shared between requests, so it is only read: a change is made on a
/// row read with `Organisation.current(on:)`.
final class OrganisationCache: Sendable {
    private let freshFor: TimeAmount
    private let state = NIOLockedValueBox<(organisation: Organisation?, until: NIODeadline)?>(nil)

    init(freshFor seconds: TimeInterval) { freshFor = .milliseconds(Int64(seconds * 1000)) }

    func get(on db: any Database) async throws -> Organisation? {
        if let kept = state.withLockedValue({ $0 }), NIODeadline.now() < kept.until { return kept.organisation }
        let organisation = try await Organisation.current(on: db)
        state.withLockedValue { $0 = (organisation, .now() + freshFor) }
        return organisation
    }

    func forget() { state.withLockedValue { $0 = nil } }

    /// Drops the kept row whenever this instance creates, changes or deletes the organisation.
    struct Forget: AsyncModelMiddleware {
        let cache: OrganisationCache
        func create(model: Organisation, on db: any Database, next: any AnyAsyncModelResponder) async throws {
            try await next.create(model, on: db)
            cache.forget()
        }
        func update(model: Organisation, on db: any Database, next: any AnyAsyncModelResponder) async throws {
            try await next.update(model, on: db)
            cache.forget()
        }
        func delete(model: Organisation, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
            try await next.delete(model, force: force, on: db)
            cache.forget()
        }
    }
}

extension Request {
    /// The organisation, for reading: from memory when fresh (`OrganisationCache`).
    func organisation() async throws -> Organisation? { try await lantern.organisation.get(on: db) }
}
