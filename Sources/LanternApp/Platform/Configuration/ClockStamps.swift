import Foundation
import Fluent
import LanternCore

/// A model whose created and updated times come from Lantern's clock. Fluent's `@Timestamp`
/// reads the machine's clock, so those columns would be dated by another clock than the rest.
protocol ClockStamped: AnyObject {
    /// Sets the model's times for a create (`created` true) or an update.
    func stamp(created: Bool, at time: Date)
}

/// Stamps every ``ClockStamped`` model as it is created or updated through Fluent.
struct ClockStampMiddleware: AnyModelMiddleware {
    let clock: LanternClock

    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database,
                chainingTo next: any AnyModelResponder) -> EventLoopFuture<Void> {
        if let stamped = model as? any ClockStamped {
            switch event {
            case .create: stamped.stamp(created: true, at: clock.now())
            case .update: stamped.stamp(created: false, at: clock.now())
            default: break
            }
        }
        return next.handle(event, model, on: db)
    }
}
