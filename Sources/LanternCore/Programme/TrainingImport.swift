import Foundation

/// A staff member from an HR export, checked.
public struct StaffImportRow: Sendable, Equatable {
    public let line: Int
    public let staffNumber: String
    public let name: String
    public let email: String?
    public let jobTitle: String
    public let team: String?
    public let directorate: String
    public let managerEmail: String?
    public let startedOn: Day?
}

/// A completion from a learning system's export, checked and matched to a person and a course.
public struct CompletionImportRow: Sendable, Equatable {
    public let line: Int
    public let staffID: UUID
    public let courseID: UUID
    public let completedOn: Day
    public let provider: String
    public let evidence: String
}

/// Training CSV files. Every row is checked before anything is written; one bad row stops the
/// whole file, with a message per line, so a file is never half imported.
/// Source: the programme issue ("imported from a learning system's CSV export (line-by-line
/// errors, nothing half-imported)"); `shared/docs/domain/suppliers.md` §11 for the upload →
/// check → confirm pattern the supplier import also follows.
public enum TrainingImport {
    public static let staffColumns = (required: ["staff_number", "name", "job_title", "directorate"],
                                      optional: ["email", "team", "manager_email", "start_date"])
    public static let completionColumns = (required: ["course", "completed_on"],
                                           optional: ["staff_number", "email", "provider", "evidence"])

    /// The columns this import does not read, and what is wrong with the header, if anything.
    static func header(_ file: CSVFile, required: [String], optional: [String]) -> (ignored: [String], missing: String?) {
        let ignored = file.header.filter { !$0.isEmpty && !(required + optional).contains($0) }
        let missing = required.filter { file.index(of: $0) == nil }
        guard !missing.isEmpty else { return (ignored, nil) }
        return (ignored, "Line 1: the header has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column (columns found: \(file.header.joined(separator: ", ")))")
    }

    static func email(_ raw: String) -> String?? {
        let e = raw.lowercased()
        if e.isEmpty { return .some(nil) }
        let parts = e.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !e.contains(" "), e.count <= 254 else { return nil }
        return e
    }

    /// A staff list from HR. A row whose staff number is already held updates that person.
    public static func staff(_ file: CSVFile, today: Day) -> ImportPlan<StaffImportRow> {
        var plan = ImportPlan<StaffImportRow>()
        plan.encoding = file.encoding
        let (ignored, missing) = header(file, required: staffColumns.required, optional: staffColumns.optional)
        plan.ignoredColumns = ignored
        plan.rejected = file.unreadable.map { .init(line: $0.line, reason: "Line \($0.line) \($0.reason)") }
        plan.rowCount = file.rows.count + file.unreadable.count
        if let missing { plan.rejected.insert(.init(line: 1, reason: missing), at: 0); return plan }
        var seen: [String: Int] = [:]
        for row in file.rows {
            func cell(_ name: String) -> String { file.index(of: name).map { row.fields[$0] } ?? "" }
            var reasons: [String] = []
            let number = cell("staff_number"), name = cell("name"), job = cell("job_title"), directorate = cell("directorate")
            if number.isEmpty { reasons.append("staff_number is empty") } else if number.count > 40 { reasons.append("staff_number is longer than 40 characters") }
            if name.isEmpty { reasons.append("name is empty") } else if name.count > 200 { reasons.append("name is longer than 200 characters") }
            if job.isEmpty { reasons.append("job_title is empty") } else if job.count > 200 { reasons.append("job_title is longer than 200 characters") }
            if directorate.isEmpty { reasons.append("directorate is empty") } else if directorate.count > 200 { reasons.append("directorate is longer than 200 characters") }
            let mail = email(cell("email")), manager = email(cell("manager_email"))
            if mail == nil { reasons.append("email '\(cell("email").prefix(80))' is not an email address") }
            if manager == nil { reasons.append("manager_email '\(cell("manager_email").prefix(80))' is not an email address") }
            var started: Day?
            if !cell("start_date").isEmpty {
                started = Day(parsing: cell("start_date"))
                if started == nil { reasons.append("start_date '\(cell("start_date").prefix(40))' is not a date (use 2026-04-01 or 01/04/2026)") }
                else if started! > today.adding(days: 366) { reasons.append("start_date \(started!.iso) is more than a year ahead") }
            }
            if let earlier = seen[number], !number.isEmpty { reasons.append("staff_number \(number) is also on line \(earlier)") }
            if !number.isEmpty, seen[number] == nil { seen[number] = row.line }
            guard reasons.isEmpty, let mail, let manager else {
                plan.rejected.append(.init(line: row.line, reason: "Line \(row.line): " + reasons.joined(separator: "; ")))
                continue
            }
            let team = cell("team")
            plan.newRows.append(StaffImportRow(line: row.line, staffNumber: number, name: name, email: mail, jobTitle: job,
                                               team: team.isEmpty ? nil : team, directorate: directorate, managerEmail: manager, startedOn: started))
        }
        return plan
    }

    /// `staffByNumber`/`staffByEmail` find the person (lower-cased email); `courses` maps
    /// lower-cased course names to ids; `recorded` holds "staff|course|day" already on file,
    /// which are reported as duplicates and not added again.
    public static func completions(_ file: CSVFile, staffByNumber: [String: UUID], staffByEmail: [String: UUID], courses: [String: UUID],
                                   recorded: Set<String>, today: Day) -> ImportPlan<CompletionImportRow> {
        var plan = ImportPlan<CompletionImportRow>()
        plan.encoding = file.encoding
        let (ignored, missing) = header(file, required: completionColumns.required, optional: completionColumns.optional)
        plan.ignoredColumns = ignored
        plan.rejected = file.unreadable.map { .init(line: $0.line, reason: "Line \($0.line) \($0.reason)") }
        plan.rowCount = file.rows.count + file.unreadable.count
        if let missing { plan.rejected.insert(.init(line: 1, reason: missing), at: 0); return plan }
        if file.index(of: "staff_number") == nil && file.index(of: "email") == nil {
            plan.rejected.insert(.init(line: 1, reason: "Line 1: the header needs a 'staff_number' or an 'email' column to say who completed the course"), at: 0)
            return plan
        }
        var seen: [String: Int] = [:]
        let courseNames = courses.keys.sorted().joined(separator: "; ")
        for row in file.rows {
            func cell(_ name: String) -> String { file.index(of: name).map { row.fields[$0] } ?? "" }
            var reasons: [String] = []
            let number = cell("staff_number"), mail = cell("email").lowercased()
            var staff: UUID?
            if !number.isEmpty {
                staff = staffByNumber[number]
                if staff == nil { reasons.append("no one on the staff list has staff_number \(number.prefix(40))") }
            } else if !mail.isEmpty {
                staff = staffByEmail[mail]
                if staff == nil { reasons.append("no one on the staff list has email \(mail.prefix(80))") }
            } else {
                reasons.append("staff_number and email are both empty")
            }
            let courseName = cell("course")
            let course = courses[courseName.lowercased()]
            if courseName.isEmpty { reasons.append("course is empty") }
            else if course == nil { reasons.append("course '\(courseName.prefix(80))' is not a course in Lantern (courses: \(courseNames))") }
            let rawDay = cell("completed_on")
            let day = Day(parsing: rawDay)
            if rawDay.isEmpty { reasons.append("completed_on is empty") }
            else if day == nil { reasons.append("completed_on '\(rawDay.prefix(40))' is not a date (use 2026-04-01 or 01/04/2026)") }
            else if day! > today { reasons.append("completed_on \(day!.iso) is in the future") }
            if cell("provider").count > 200 { reasons.append("provider is longer than 200 characters") }
            if cell("evidence").count > 500 { reasons.append("evidence is longer than 500 characters") }
            guard reasons.isEmpty, let staff, let course, let day else {
                plan.rejected.append(.init(line: row.line, reason: "Line \(row.line): " + reasons.joined(separator: "; ")))
                continue
            }
            let parsed = CompletionImportRow(line: row.line, staffID: staff, courseID: course, completedOn: day,
                                             provider: cell("provider"), evidence: cell("evidence"))
            let key = "\(staff.uuidString)|\(course.uuidString)|\(day.iso)"
            if recorded.contains(key) {
                plan.duplicates.append(.init(row: parsed, match: .existing(id: staff, name: "already recorded"), reason: "this completion is already recorded"))
            } else if let line = seen[key] {
                plan.duplicates.append(.init(row: parsed, match: .earlierLine(line), reason: "the same completion is on line \(line)"))
            } else {
                seen[key] = row.line
                plan.newRows.append(parsed)
            }
        }
        return plan
    }
}
