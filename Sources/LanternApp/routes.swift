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
    try site.register(collection: SuppliersController())
    try site.register(collection: SupplierPage())
    try site.register(collection: ImportController(kind: .suppliers))
    try site.register(collection: ContractsController())
    try site.register(collection: ContractPage())
    try site.register(collection: ContractRecordsController())
    try site.register(collection: RiskAssessmentController())
    try site.register(collection: ImportController(kind: .contracts))
    try site.register(collection: ProcurementDashboardController())
    try site.register(collection: ProcurementSettingsController())
    try site.register(collection: PublicReportController())
    try site.register(collection: ConcernsController())
    try site.register(collection: CasesController())
    try site.register(collection: CasePage())
    try site.register(collection: CaseRecordsController())
    try site.register(collection: NotificationsController())
    try site.register(collection: ReportsController())
}
