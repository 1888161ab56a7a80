import Fluent
import Foundation
import Leaf
import LanternCore
import Vapor

/// Wires the database, sessions, middleware, views and routes. The one place that does.
public func configure(_ app: Application, _ configuration: LanternConfiguration) async throws {
    app.lantern = LanternServices(configuration: configuration)
    app.personalData = PersonalDataTables.registry
    app.identityProvider = configuration.oidc.map(OIDCProvider.init(settings:))
    _ = MetricsRegistry.shared

    if let resources = configuration.resourcesDirectory {
        app.directory = DirectoryConfiguration(workingDirectory: resources.hasSuffix("/") ? resources : resources + "/")
    }

    try DatabaseSetup.use(configuration.database, clock: configuration.clock, on: app)
    app.databases.middleware.use(OrganisationCache.Forget(cache: app.lantern.organisation))
    app.migrations.add(LanternMigrations.all(cipher: app.lantern.cipher,
                                             evidenceDirectory: (configuration.dataDirectory as NSString).appendingPathComponent("evidence")))

    app.passwords.use(.bcrypt(cost: configuration.passwordCost))
    app.sessions.use { _ in DatabaseSessionDriver() }
    app.sessions.configuration = .lantern(secure: configuration.behindTLS)
    app.routes.defaultMaxBodySize = ByteCount(value: configuration.maxBodySize)
    // Request metrics are recorded by RequestLogMiddleware, which leaves out the public reporting
    // pages; Vapor's own would count every route.
    app.http.server.configuration.reportMetrics = false

    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease

    // Order matters: errors outermost so every failure becomes a page; static files before
    // sessions so stylesheets never touch the database.
    app.middleware = .init()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(ErrorPageMiddleware())
    app.middleware.use(SecurityHeadersMiddleware(behindTLS: configuration.behindTLS))
    app.middleware.use(PublicFiles(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(CurrentUserMiddleware())
    app.middleware.use(ProcurementChangeMiddleware())

    try await DatabaseSetup.prepare(app, configuration.database)
    try await DatabaseSetup.migrateOnce(app)
    try await KeyRing.load(app)
    try await CaseNameIndex.backfill(app)
    if configuration.demo {
        try await DemoData.seedIfEmpty(app)
    }
    app.jobs = JobRunner([ImportJob(batchKind: .suppliers), ImportJob(batchKind: .contracts),
                          ImportPreviewJob(batchKind: .suppliers), ImportPreviewJob(batchKind: .contracts), DailyJob(), RetentionPurgeJob(),
                          SubjectAccessSearchJob(), RegisterExportJob<SuppliersController>(), RegisterExportJob<ContractsController>(),
                          KeyRotationJob(), StatementRegisterJob()])
    try routes(app)
    if configuration.runsHousekeeping {
        if !DocumentPDF.isAvailable {
            app.logger.warning("WeasyPrint is not installed: PDFs (subject access copies, published statements) will be untagged and hold Latin text only. Install it with `pip install weasyprint` and the Noto fonts.")
        }
        Housekeeping.schedule(on: app)
        Mailbox.schedule(on: app)
        if !configuration.mail.isConfigured {
            app.logger.notice("No mail server is configured (LANTERN_SMTP_HOST): emails wait in the queue until one is.")
        }
        try await KeyRotationJob.queueIfNeeded(app)
        app.jobs.start(app)
        app.lifecycle.use(GracefulStop())
        app.http.server.configuration.shutdownTimeout = .seconds(60)
    }
}

/// Every table of personal data, as each feature declares it.
enum PersonalDataTables {
    static let registry = PersonalDataRegistry(
        PersonalDataRegistry.platform + EvidencePersonalData.tables(owners: [.case: SafeguardingCase.schema, .concern: Concern.schema])
            + CasesPersonalData.tables + ConcernsPersonalData.tables + PeoplePersonalData.tables + TwoFactorPersonalData.tables + MailPersonalData.tables + APITokenPersonalData.tables
            + PrivacyPersonalData.tables + SuppliersPersonalData.tables + TrainingPersonalData.tables + PartnershipPersonalData.tables + PartnershipPersonalData.meetings,
        retention: CasesPersonalData.retention + ConcernsPersonalData.retention + SuppliersPersonalData.retention + TrainingPersonalData.retention)
}

enum LanternMigrations {
    /// Every migration's name, for the readiness check.
    static func names(cipher: FieldCipher) -> [String] { all(cipher: cipher, evidenceDirectory: "").map(\.name) }

    /// In the order they run. Those that move clear text into sealed storage need the cipher.
    static func all(cipher: FieldCipher, evidenceDirectory: String) -> [any Migration] { [
        CreateOrganisation(),
        CreateTeam(),
        CreateUser(),
        CreateStoredSession(),
        CreateAuditEntry(),
        CreateSignInFailure(),
        CreateStatementCheckRecord(),
        AddProcurementPolicy(),
        CreateSuppliers(),
        CreateContracts(),
        CreateGoodsReference(),
        CreateImportBatches(),
        CreateKeyStore(),
        CreateConcerns(),
        CreateEvidenceFiles(),
        CreateCases(),
        CreateReportSnapshots(),
        AddDecisionOutcomes(),
        CreateTraining(),
        CreateActionPlan(),
        CreateAnnualStatements(),
        CreatePrivacy(),
        AddFailedSignIns(),
        CreateRoleGrantRequests(),
        SealSubjectAccessReasons(cipher: cipher),
        SealConsentWithdrawals(cipher: cipher),
        CreateAuditArchives(),
        MoveEvidenceIntoDatabase(cipher: cipher, directory: evidenceDirectory),
        CreateLimitEvents(),
        CreateJobs(),
        AddImportPreview(),
        CreateKeptForms(),
        AddCaseClosureReason(),
        CreateFormSubmissions(),
        AddCaseNameIndex(),
        CreateTwoFactor(),
        CreateOutgoingMail(),
        AddPasswordResetAndMailChoices(),
        AddSingleSignOn(),
        CreateAPITokens(),
        CreatePartnership(),
        CreateOutreach(),
        CreateSharing(),
        CreateMeetings(),
        AddFormerReferences(),
        AddCaseArea(),
        AddStatementRegister(),
        CreateStatementReviews(),
        AddCaseScopeIndexes(),
    ] }
}
