import Vapor

func routes(_ app: Application) throws {
    try app.register(collection: HealthAndMetricsController())

    // Every page and form below checks the CSRF token on state-changing requests.
    let site = app.grouped(CSRFMiddleware(maxBodySize: app.lantern.configuration.maxBodySize))
    try site.register(collection: HomeController())
    try site.register(collection: SignInController())
    try site.register(collection: InvitationController())
    try site.register(collection: AccountController())
    try site.register(collection: UsersAdminController())
    try site.register(collection: TeamsController())
    try site.register(collection: OrganisationController())
    try site.register(collection: AuditController())
    try site.register(collection: StatementsController())
}
