import Fluent
import SQLKit
import Foundation
import LanternCore
import Vapor

/// The teams a concern is shared with, one row per route: need-to-know is decided from these.
final class ConcernTeam: Model, @unchecked Sendable {
    static let schema = "concern_teams"
    @ID(key: .id) var id: UUID?
    @Parent(key: "concern_id") var concern: Concern
    @Field(key: "route") var route: ConcernRoute
    @OptionalParent(key: "team_id") var team: Team?
    init() {}
}
