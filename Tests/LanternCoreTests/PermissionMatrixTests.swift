import Testing
@testable import LanternCore

/// The permission matrix, written out independently as a grid and checked cell by cell.
/// Columns: administrator, safeguarding lead, caseworker, procurement officer,
/// contract manager, training manager, auditor, partnership analyst, data protection officer,
/// partner organisation staff.
@Suite("Permission matrix")
struct PermissionMatrixTests {
    static let columns: [Role] = [
        .administrator, .safeguardingLead, .caseworker, .procurementOfficer,
        .contractManager, .trainingManager, .auditor, .partnershipAnalyst, .dataProtectionOfficer, .partner,
    ]

    static let grid: [Permission: String] = [
        //                            adm sgl cw po cm tm aud pa  dpo ptn
        .manageUsers:                "Y  .   .  .  .  .  .   .   .   .",
        .manageOrganisation:         "Y  .   .  .  .  .  .   .   .   .",
        .viewAuditLog:               "Y  .   .  .  .  .  Y   .   .   .",
        .readAuditReasons:           ".  .   .  .  .  .  Y   .   .   .",
        .viewSuppliers:              ".  Y   .  Y  Y  .  Y   .   .   .",
        .editSuppliers:              ".  .   .  Y  Y  .  .   .   .   .",
        .viewContracts:              ".  Y   .  Y  Y  .  Y   .   .   .",
        .editContracts:              ".  .   .  Y  Y  .  .   .   .   .",
        .checkStatements:            ".  .   .  Y  Y  .  .   .   .   .",
        .viewStatementChecks:        ".  .   .  Y  Y  .  Y   .   .   .",
        .manageProcurementPolicy:    ".  .   .  Y  .  .  .   .   .   .",
        .reportConcern:              "Y  Y   Y  Y  Y  Y  .   .   Y   .",
        .handleConcerns:             ".  Y   Y  Y  .  .  .   .   .   .",
        .viewCases:                  ".  Y   Y  .  .  .  .   .   .   .",
        .editCases:                  ".  Y   Y  .  .  .  .   .   .   .",
        .overseeAllCases:            ".  Y   .  .  .  .  .   .   .   .",
        .viewTraining:               ".  Y   Y  Y  Y  Y  Y   .   .   .",
        .manageTraining:             ".  .   .  .  .  Y  .   .   .   .",
        .viewActionPlan:             ".  Y   .  Y  .  Y  Y   .   .   .",
        .editActionPlan:             ".  Y   .  .  .  .  .   .   .   .",
        .draftAnnualStatement:       ".  .   .  Y  .  .  .   .   .   .",
        .viewPartnershipStatistics:  ".  Y   .  .  .  .  Y   Y   .   Y",
        .viewUnsuppressedStatistics: ".  Y   .  .  .  .  .   .   .   .",
        .managePrivacyRequests:      ".  .   .  .  .  .  .   .   Y   .",
        .approveRoleGrants:          ".  Y   .  .  .  .  .   .   Y   .",
        .managePartners:             "Y  Y   .  .  .  .  .   .   Y   .",
        .submitDataReturns:          ".  Y   .  .  .  .  .   Y   .   Y",
        .viewPartnerReturns:         ".  Y   .  .  .  .  Y   Y   .   .",
        .viewSharedCases:            ".  .   .  .  .  .  .   .   .   Y",
        .manageMeetings:             ".  Y   .  .  .  .  .   Y   .   .",
        .attendMeetings:             ".  Y   Y  Y  .  Y  .   Y   .   Y",
    ]

    @Test func theGridCoversEveryPermissionAndRole() {
        #expect(Set(Self.grid.keys) == Set(Permission.allCases))
        #expect(Set(Self.columns) == Set(Role.allCases))
        for (permission, row) in Self.grid {
            #expect(row.split(separator: " ").count == Self.columns.count, "\(permission)")
        }
    }

    @Test(arguments: Permission.allCases)
    func everyCellMatches(_ permission: Permission) {
        let cells = Self.grid[permission]!.split(separator: " ")
        for (index, role) in Self.columns.enumerated() {
            let expected = cells[index] == "Y"
            #expect(PermissionMatrix.allows(role, permission) == expected, "\(role) × \(permission)")
        }
    }

    @Test func theAdministratorSeesNoCaseContent() {
        for permission in [Permission.viewCases, .editCases, .handleConcerns, .overseeAllCases] {
            #expect(!PermissionMatrix.allows(.administrator, permission))
        }
    }

    @Test func theAuditorChangesNothing() {
        let changes: [Permission] = [.manageUsers, .manageOrganisation, .editSuppliers, .editContracts, .editCases,
                                     .handleConcerns, .manageTraining, .editActionPlan, .draftAnnualStatement,
                                     .managePrivacyRequests, .reportConcern, .checkStatements]
        for permission in changes { #expect(!PermissionMatrix.allows(.auditor, permission)) }
    }

    @Test func thePartnershipAnalystSeesOnlyStatisticsAndReturns() {
        #expect(PermissionMatrix.permissions(of: .partnershipAnalyst) == [.viewPartnershipStatistics, .submitDataReturns, .viewPartnerReturns,
                                                                           .manageMeetings, .attendMeetings])
    }

    @Test func aPartnersStaffSeeNoCaseAndNoOtherPartner() {
        #expect(PermissionMatrix.permissions(of: .partner) == [.viewPartnershipStatistics, .submitDataReturns, .viewSharedCases, .attendMeetings])
        #expect(!PermissionMatrix.allows(.partner, .viewCases) && !PermissionMatrix.allows(.partner, .handleConcerns))
    }
}
