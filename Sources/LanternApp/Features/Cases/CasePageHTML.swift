/// The case page's content, written in Swift: the page caseworkers open most, and the largest
/// view Lantern has (nine forms), which in Leaf was most of its time.
extension CasePage.View {
    func write(into html: inout HTML, layout: LayoutContext) {
        var page = CaseHTML(html: html, view: self, layout: layout)
        page.write()
        html = page.html
    }
}

/// Writes one case page; the helpers are the pieces every form on it repeats.
private struct CaseHTML {
    var html: HTML
    let view: CasePage.View
    let layout: LayoutContext
    let errors: [String: String]
    let values: [String: String]

    init(html: HTML, view: CasePage.View, layout: LayoutContext) {
        self.html = html
        self.view = view
        self.layout = layout
        errors = view.typed.errors.byField
        values = view.typed.values
    }

    mutating func write() {
        view.errors.writeSummary(into: &html)
        html.raw("<span class=\"caption\">Case · "); html.text(view.status); html.raw("</span>\n<h1 class=\"heading-l\">"); html.text(view.reference)
        html.raw("</h1>\n<div class=\"inset-text\" id=\"next-step\">")
        if !view.guidance.isEmpty { html.raw("<p class=\"body\"><strong>What this person needs:</strong> "); html.text(view.guidance); html.raw("</p>") }
        for alert in view.alerts { html.raw("<p class=\"body\"><strong>Note:</strong> "); html.text(alert); html.raw("</p>") }
        html.raw("""
            </div>
            <nav aria-label="On this page" class="contents"><ul class="list">
              <li><a href="#person">The person</a></li><li><a href="#indicators">Indicators</a></li><li><a href="#markers">Markers</a></li>
              <li><a href="#consent">Consent</a></li><li><a href="#notifications">NRM and Duty to Notify</a></li><li><a href="#actions">Referrals and agencies</a></li>
              <li><a href="#tasks">Tasks</a></li><li><a href="#notes">Notes</a></li><li><a href="#evidence">Evidence</a></li><li><a href="#timeline">Timeline</a></li>
            </ul></nav>

            <section class="section" id="person" aria-labelledby="person-heading">
            <h2 class="heading-m" id="person-heading">The person</h2>
            <dl class="summary-list">
            """)
        for row in view.person {
            html.raw("<div class=\"summary-list__row\"><dt class=\"summary-list__key\">"); html.text(row.cells[0])
            html.raw("</dt><dd class=\"summary-list__value pre-wrap\">"); html.text(row.cells[1]); html.raw("</dd></div>")
        }
        html.raw("</dl>\n")
        if view.canEdit { html.raw("<p class=\"body\"><a href=\"/cases/"); html.text(view.id); html.raw("/edit\">Change the person's details</a></p>\n") }
        html.raw("</section>\n\n<section class=\"section\" id=\"indicators\" aria-labelledby=\"indicators-heading\">\n<h2 class=\"heading-m\" id=\"indicators-heading\">Indicators seen</h2>\n")
        if view.canEdit {
            html.raw("<p class=\"body\"><a href=\"/cases/"); html.text(view.id)
            html.raw("/indicators\">Record the indicators seen</a> (the Home Office checklist, with the source of each).</p>\n")
        }
        html.raw("</section>\n\n")
        markers()
        consent()
        notifications()
        actions()
        sharing()
        tasks()
        notes()
        evidence()
        sectionStart("timeline", "Timeline"); html.raw("<ol class=\"timeline\">")
        for entry in view.timeline {
            html.raw("<li class=\"timeline__item\"><p class=\"message__meta\">"); html.text(entry.at)
            if !entry.by.isEmpty { html.raw(", "); html.text(entry.by) }
            html.raw("</p><p class=\"body pre-wrap\">"); html.text(entry.what); html.raw("</p></li>")
        }
        html.raw("</ol>\n</section>\n")
        if view.canEdit {
            formStart("close", extra: " class=\"inline-form\" id=\"close\"", attributes: "")
            if let message = errors["close"] { html.raw("  <p class=\"error-message\"><span class=\"visually-hidden\">Error:</span> "); html.text(message); html.raw("</p>\n") }
            html.raw("  <button class=\"button button--secondary\" type=\"submit\">Close the case</button>\n</form>\n")
        }
    }

    // MARK: Sections

    mutating func markers() {
        sectionStart("markers", "Markers")
        if view.markers.isEmpty {
            html.raw("<p class=\"body\">No markers.</p>\n")
        } else {
            tableStart("Markers on this case", ["Marker", "Reason", "Set by", "Set on", "Review by", "Status", ""])
            for row in view.markers {
                html.raw("<tr>"); cells(row.cells.prefix(5)); html.raw("<td>"); html.text(row.flag); html.raw("</td><td>")
                if row.open && view.canEdit {
                    html.raw("<form method=\"post\" action=\"/cases/"); html.text(view.id); html.raw("/markers/"); html.text(row.id)
                    html.raw("/remove\" class=\"inline-form\">"); tokens()
                    html.raw("<button class=\"link-button\" type=\"submit\">Remove<span class=\"visually-hidden\"> the "); html.text(row.cells[0])
                    html.raw(" marker</span></button></form>\n    <form method=\"post\" action=\"/cases/"); html.text(view.id); html.raw("/markers/"); html.text(row.id)
                    html.raw("/review-requested\" class=\"inline-form\">"); tokens()
                    html.raw("<label class=\"label\" for=\"review-requested-"); html.text(row.id)
                    html.raw("\">Date the person asked for a review<span class=\"visually-hidden\"> of the "); html.text(row.cells[0])
                    html.raw(" marker</span></label><input class=\"input input--short\" id=\"review-requested-"); html.text(row.id)
                    html.raw("\" name=\"requested_on\" type=\"text\" autocomplete=\"off\"><button class=\"link-button\" type=\"submit\">Record the request<span class=\"visually-hidden\"> for a review of the ")
                    html.text(row.cells[0]); html.raw(" marker</span></button></form>")
                }
                html.raw("</td></tr>")
            }
            html.raw("</tbody>\n</table>\n")
        }
        html.raw("<p class=\"hint\">The person may ask to see a marker and for it to be reviewed; record the reason as you would explain it to them.</p>\n")
        if view.canEdit {
            detailsStart("marker", "Set a marker")
            formStart("markers")
            select("kind", id: "marker-kind", label: "Kind of marker", view.markerKinds)
            textarea("reason", id: "marker-reason", label: "Reason", rows: 3)
            group("review_on"); html.raw("<label class=\"label\" for=\"marker-review\">Review by</label><p class=\"hint\" id=\"marker-review-hint\">For example 2027-05-31.</p>")
            error("review_on")
            html.raw("<input class=\"input input--short\" id=\"marker-review\" name=\"review_on\" type=\"text\" value=\""); html.text(values["review_on"] ?? "")
            html.raw("\" aria-describedby=\"marker-review-hint\" autocomplete=\"off\"></div>\n")
            formEnd("Set the marker")
        }
        html.raw("</section>\n\n")
    }

    mutating func consent() {
        sectionStart("consent", "Consent")
        if view.consents.isEmpty {
            html.raw("<p class=\"body\">No consent decisions recorded.</p>\n")
        } else {
            tableStart("Consent decisions", ["For", "Decision", "Wording shown", "How", "Date", "Recorded by", "Withdrawal"])
            for row in view.consents { html.raw("<tr>"); cells(row.cells.prefix(6)); html.raw("<td>"); html.text(row.flag); html.raw("</td></tr>") }
            html.raw("</tbody>\n</table>\n")
        }
        guard view.canEdit else { html.raw("</section>\n\n"); return }
        detailsStart("consent", "Record a consent decision")
        formStart("consents")
        select("purpose", id: "consent-purpose", label: "What the consent is for", view.consentPurposes)
        group("decision", id: "decision"); html.raw("<fieldset class=\"fieldset\"><legend class=\"fieldset__legend\">Decision</legend>"); error("decision")
        html.raw("<div class=\"radios\">")
        for (value, label) in [("given", "Given"), ("refused", "Refused")] {
            html.raw("<div class=\"radios__item\"><input class=\"radios__input\" type=\"radio\" id=\"decision-"); html.text(value)
            html.raw("\" name=\"decision\" value=\""); html.text(value); html.raw("\""); html.raw(" checked", if: values["decision"] == value)
            html.raw("><label class=\"radios__label\" for=\"decision-"); html.text(value); html.raw("\">"); html.text(label); html.raw("</label></div>")
        }
        html.raw("</div></fieldset></div>\n")
        select("method", id: "consent-method", label: "How it was given", view.consentMethods)
        input("given_on", id: "consent-date", label: "Date", size: " input--short")
        group("explained", id: "explained"); error("explained")
        html.raw("<div class=\"radios__item\"><input class=\"radios__input\" type=\"checkbox\" id=\"consent-explained\" name=\"explained\" value=\"yes\"")
        html.raw(" checked", if: values["explained"] == "yes")
        html.raw("><label class=\"radios__label\" for=\"consent-explained\">The NRM and the PIN were explained (wording "); html.text(view.consentWording)
        html.raw(")</label></div></div>\n")
        formEnd("Record the decision")
        for row in view.consents where row.open {
            html.raw("<details class=\"details\""); html.raw(" open", if: view.typed.section == "withdraw")
            html.raw("><summary>Record withdrawal of consent: "); html.text(row.cells[0]); html.raw("</summary>\n")
            html.raw("<form method=\"post\" action=\"/cases/"); html.text(view.id); html.raw("/consents/"); html.text(row.id)
            html.raw("/withdraw\" novalidate class=\"grid-two-thirds\">\n  "); tokens(); html.raw("\n    ")
            group("withdrawn_on"); html.raw("<label class=\"label\" for=\"withdrawn-"); html.text(row.id); html.raw("\">Date withdrawn</label>"); error("withdrawn_on")
            html.raw("<input class=\"input input--short\" id=\"withdrawn-"); html.text(row.id); html.raw("\" name=\"withdrawn_on\" type=\"text\" value=\"")
            html.text(values["withdrawn_on"] ?? ""); html.raw("\" autocomplete=\"off\"></div>\n    ")
            group("withdrawal_method"); html.raw("<label class=\"label\" for=\"withdrawal-method-"); html.text(row.id)
            html.raw("\">How (in writing, via a First Responder…)</label>"); error("withdrawal_method")
            html.raw("<input class=\"input\" id=\"withdrawal-method-"); html.text(row.id); html.raw("\" name=\"withdrawal_method\" type=\"text\" value=\"")
            html.text(values["withdrawal_method"] ?? ""); html.raw("\" autocomplete=\"off\"></div>\n")
            html.raw("  <button class=\"button button--warning\" type=\"submit\">Record withdrawal</button>\n</form></details>\n")
        }
        html.raw("</section>\n\n")
    }

    mutating func notifications() {
        sectionStart("notifications", "NRM referral and Duty to Notify")
        if view.notifications.isEmpty { html.raw("<p class=\"body\">No NRM referral or Duty to Notify notification yet.</p>\n") }
        for n in view.notifications {
            html.raw("<div class=\"card\">\n<h3 class=\"heading-s\">"); html.text(n.kind); html.raw(": "); html.text(n.state)
            html.raw(" (anonymous)", if: n.anonymous); html.raw("</h3>\n")
            if !n.reference.isEmpty { html.raw("<p class=\"body\">Home Office reference: "); html.text(n.reference); html.raw("</p>\n") }
            if !n.deadline.isEmpty {
                html.raw("<p class=\"body\">"); html.text(n.deadline)
                html.raw(" <strong class=\"tag tag--overdue\">Overdue: chase</strong>", if: n.overdue); html.raw("</p>\n")
            }
            if !n.history.isEmpty {
                html.raw("<table class=\"table table--compact\"><caption class=\"visually-hidden\">History of this "); html.text(n.kind)
                html.raw("</caption>\n<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Change</th><th scope=\"col\">Note</th><th scope=\"col\">By</th></tr></thead>\n<tbody>")
                for h in n.history { html.raw("<tr>"); cells(h.cells.prefix(4)); html.raw("</tr>") }
                html.raw("</tbody></table>\n")
            }
            if view.canEdit && !n.next.isEmpty { move(n) }
            html.raw("</div>\n")
        }
        if view.canEdit && view.mayNotify {
            formStart("notifications", extra: " novalidate class=\"grid-two-thirds\"", attributes: "")
            html.raw("  "); group("kind", id: "kind")
            html.raw("<fieldset class=\"fieldset\"><legend class=\"fieldset__legend\">Start a notification</legend>"); error("kind")
            html.raw("""

                  <div class="radios"><div class="radios__item"><input class="radios__input" type="radio" id="kind-nrm" name="kind" value="nrm"><label class="radios__label" for="kind-nrm">NRM referral</label></div><div class="radios__item"><input class="radios__input" type="radio" id="kind-dtn" name="kind" value="duty_to_notify"><label class="radios__label" for="kind-dtn">Duty to Notify (an adult who does not consent)</label></div></div></fieldset></div>
                  <button class="button button--secondary" type="submit">Start</button>
                </form>

                """)
        }
        html.raw("</section>\n\n")
    }

    /// The form recording a referral's next step; it shows what was typed only if it was this referral's.
    mutating func move(_ n: CasePage.HomeOfficeReferralView) {
        let mine = values["notification"] == n.id
        func typed(_ field: String) -> String { mine ? values[field] ?? "" : "" }
        html.raw("<form method=\"post\" action=\"/cases/"); html.text(view.id); html.raw("/notifications/"); html.text(n.id)
        html.raw("/move\" novalidate autocomplete=\"off\" class=\"grid-two-thirds\">\n  "); tokens(); html.raw("\n  ")
        group("to"); html.raw("<label class=\"label\" for=\"to-"); html.text(n.id); html.raw("\">What has happened</label>")
        if mine { error("to") }
        html.raw("<select class=\"select\" id=\"to-"); html.text(n.id); html.raw("\" name=\"to\"><option value=\"\">Choose</option>"); options(n.next); html.raw("</select></div>\n  ")
        group("on"); html.raw("<label class=\"label\" for=\"on-"); html.text(n.id); html.raw("\">Date</label>")
        if mine { error("on") }
        html.raw("<input class=\"input input--short\" id=\"on-"); html.text(n.id); html.raw("\" name=\"on\" type=\"text\" value=\"")
        html.text(mine ? values["on"] ?? "" : view.today); html.raw("\"></div>\n  ")
        group("reference"); html.raw("<label class=\"label\" for=\"reference-"); html.text(n.id); html.raw("\">Home Office reference (when submitted)</label>")
        if mine { error("reference") }
        html.raw("<input class=\"input input--medium\" id=\"reference-"); html.text(n.id); html.raw("\" name=\"reference\" type=\"text\" value=\"")
        html.text(typed("reference")); html.raw("\"></div>\n  ")
        html.raw("<div class=\"form-group\"><label class=\"label\" for=\"note-"); html.text(n.id); html.raw("\">Note (optional)</label><textarea id=\"note-")
        html.text(n.id); html.raw("\" name=\"note\" rows=\"2\">"); html.text(typed("note")); html.raw("</textarea></div>\n")
        html.raw("  <button class=\"button\" type=\"submit\">Record</button>\n</form>\n")
    }

    mutating func actions() {
        sectionStart("actions", "Safeguarding referrals and partner agencies")
        if view.actions.isEmpty {
            html.raw("<p class=\"body\">None recorded.</p>\n")
        } else {
            tableStart("Referrals made and agencies involved", ["Kind", "To", "Date", "Their reference", "Status", "Outcome"])
            for row in view.actions { html.raw("<tr>"); cells(row.cells.prefix(6)); html.raw("</tr>") }
            html.raw("</tbody>\n</table>\n")
        }
        if view.canEdit {
            detailsStart("action", "Record a referral or an agency involved")
            formStart("actions")
            select("kind", id: "action-kind", label: "Kind", view.actionKinds)
            input("recipient", id: "action-recipient", label: "To (team or agency)", size: "")
            input("sent_on", id: "action-date", label: "Date", size: " input--short")
            input("their_reference", id: "action-reference", label: "Their reference (optional)", size: " input--medium")
            textarea("outcome", id: "action-outcome", label: "Outcome (optional)", rows: 3)
            formEnd("Record")
        }
        html.raw("</section>\n\n")
    }

    mutating func sharing() {
        let sharing = view.sharing
        sectionStart("sharing", "Shared with partners")
        if sharing.shares.isEmpty {
            html.raw("<p class=\"body\">Not shared with any partner.</p>\n")
        } else {
            html.raw("<table class=\"table table--compact\">\n  <caption class=\"visually-hidden\">Partners this case is shared with, and what they see</caption>\n")
            html.raw("  <thead><tr><th scope=\"col\">Partner</th><th scope=\"col\">What they see</th><th scope=\"col\">Since</th><th scope=\"col\">Status</th>")
            html.raw("<th scope=\"col\"><span class=\"visually-hidden\">Stop sharing</span></th>", if: sharing.mayShare)
            html.raw("</tr></thead>\n  <tbody>")
            for share in sharing.shares {
                html.raw("<tr>"); cells([share.partner, share.parts, share.since, share.status])
                if sharing.mayShare {
                    html.raw("<td>")
                    if share.active {
                        html.raw("<form method=\"post\" action=\"/cases/"); html.text(view.id); html.raw("/shares/"); html.text(share.id)
                        html.raw("/withdraw\" class=\"inline-form\">"); tokens()
                        html.raw("<button class=\"button button--secondary button--small\" type=\"submit\">Stop sharing<span class=\"visually-hidden\"> with ")
                        html.text(share.partner); html.raw("</span></button></form>")
                    }
                    html.raw("</td>")
                }
                html.raw("</tr>")
            }
            html.raw("</tbody>\n</table>\n")
        }
        if sharing.mayShare {
            detailsStart("share", "Share with a partner")
            html.raw("<p class=\"body\">Only under an information-sharing agreement in force, and only what it covers. The partner sees exactly what you tick, until you stop sharing; the disclosure log records it.</p>\n")
            formStart("shares", extra: " novalidate class=\"grid-two-thirds\"", attributes: "")
            html.raw("  "); group("agreement_id"); html.raw("<label class=\"label\" for=\"agreement_id\">Partner and agreement</label>"); error("agreement_id")
            html.raw("\n    <select class=\"select\" id=\"agreement_id\" name=\"agreement_id\">"); options(sharing.agreements); html.raw("</select></div>\n  ")
            group("parts", id: "parts"); html.raw("<fieldset class=\"fieldset\"><legend class=\"fieldset__legend\">What to share</legend>\n    ")
            error("parts")
            html.raw("\n    <div class=\"radios\">")
            for option in sharing.parts {
                html.raw("<div class=\"radios__item\"><input class=\"radios__input\" type=\"checkbox\" id=\"part-"); html.text(option.value)
                html.raw("\" name=\"parts[]\" value=\""); html.text(option.value); html.raw("\""); html.raw(" checked", if: option.selected)
                html.raw("><label class=\"radios__label\" for=\"part-"); html.text(option.value); html.raw("\">"); html.text(option.label); html.raw("</label></div>")
            }
            html.raw("</div>\n  </fieldset></div>\n  <button class=\"button\" type=\"submit\">Share</button>\n</form>\n</details>\n")
        }
        html.raw("</section>\n\n")
    }

    mutating func tasks() {
        sectionStart("tasks", "Tasks")
        if view.tasks.isEmpty {
            html.raw("<p class=\"body\">No tasks.</p>\n")
        } else {
            tableStart("Tasks on this case", ["Task", "Due", "State", ""])
            for row in view.tasks {
                html.raw("<tr>"); cells(row.cells.prefix(3)); html.raw("<td>"); html.text(row.flag)
                if row.open && view.canEdit {
                    html.raw(" <form method=\"post\" action=\"/cases/"); html.text(view.id); html.raw("/tasks/"); html.text(row.id)
                    html.raw("/done\" class=\"inline-form\">"); tokens()
                    html.raw("<button class=\"link-button\" type=\"submit\">Mark done<span class=\"visually-hidden\">: "); html.text(row.cells[0])
                    html.raw("</span></button></form>")
                }
                html.raw("</td></tr>")
            }
            html.raw("</tbody>\n</table>\n")
        }
        if view.canEdit {
            detailsStart("task", "Add a task")
            formStart("tasks")
            input("title", id: "task-title", label: "Task", size: "")
            input("due_on", id: "task-due", label: "Due", size: " input--short")
            formEnd("Add the task")
        }
        html.raw("</section>\n\n")
    }

    mutating func notes() {
        sectionStart("notes", "Notes")
        if view.canEdit {
            detailsStart("note", "Add a note")
            formStart("notes")
            textarea("note", id: "note-text", label: "Note", rows: 3)
            formEnd("Add the note")
        }
        for row in view.notes {
            html.raw("<div class=\"note\"><p class=\"message__meta\">"); html.text(row.cells[0]); html.raw(", "); html.text(row.cells[1])
            html.raw("</p><p class=\"body pre-wrap\">"); html.text(row.cells[2]); html.raw("</p></div>")
        }
        html.raw("\n</section>\n\n")
    }

    mutating func evidence() {
        sectionStart("evidence", "Evidence")
        if view.files.isEmpty {
            html.raw("<p class=\"body\">No evidence files.</p>\n")
        } else {
            html.raw("<table class=\"table table--compact\"><caption class=\"visually-hidden\">Evidence files</caption>\n")
            html.raw("<thead><tr><th scope=\"col\">File</th><th scope=\"col\">What it is</th><th scope=\"col\">Type</th><th scope=\"col\">Size</th><th scope=\"col\">Added</th></tr></thead>\n<tbody>")
            for file in view.files {
                html.raw("<tr><td><a href=\"/cases/"); html.text(view.id); html.raw("/files/"); html.text(file.id); html.raw("\">"); html.text(file.name)
                html.raw("</a></td>"); cells([file.description, file.kind, file.size, file.uploadedAt]); html.raw("</tr>")
            }
            html.raw("</tbody></table>\n")
        }
        if view.canEdit {
            detailsStart("files", "Add evidence files")
            formStart("files", extra: " enctype=\"multipart/form-data\" novalidate autocomplete=\"off\" class=\"grid-two-thirds\"", attributes: "")
            html.raw("    "); group("files")
            html.raw("<label class=\"label\" for=\"evidence-files\">Files</label><p class=\"hint\" id=\"evidence-files-hint\">JPG, PNG, PDF, DOC or DOCX, up to 25 MB each.</p>")
            error("files")
            html.raw("<input class=\"file-upload\" id=\"evidence-files\" name=\"files[]\" type=\"file\" multiple accept=\".jpg,.jpeg,.png,.pdf,.doc,.docx\" aria-describedby=\"evidence-files-hint\"></div>\n")
            textarea("description", id: "evidence-description", label: "What each file is, and its date", rows: 3)
            formEnd("Upload")
        }
        html.raw("</section>\n\n")
    }

    // MARK: Pieces

    /// A section of the page with its heading, which the contents list links to.
    mutating func sectionStart(_ id: String, _ heading: String) {
        html.raw("<section class=\"section\" id=\""); html.text(id); html.raw("\" aria-labelledby=\""); html.text(id)
        html.raw("-heading\">\n<h2 class=\"heading-m\" id=\""); html.text(id); html.raw("-heading\">"); html.text(heading); html.raw("</h2>\n")
    }

    mutating func tokens() {
        html.raw("<input type=\"hidden\" name=\"_csrf\" value=\""); html.text(layout.csrf)
        html.raw("\"><input type=\"hidden\" name=\"_once\" value=\""); html.text(layout.once); html.raw("\">")
    }

    mutating func cells<Cells: Sequence<String>>(_ values: Cells) {
        for value in values { html.raw("<td>"); html.text(value); html.raw("</td>") }
    }

    mutating func tableStart(_ caption: String, _ headings: [String]) {
        html.raw("<table class=\"table table--compact\">\n  <caption class=\"visually-hidden\">"); html.text(caption); html.raw("</caption>\n  <thead><tr>")
        for heading in headings { html.raw("<th scope=\"col\">"); html.text(heading); html.raw("</th>") }
        html.raw("</tr></thead>\n  <tbody>")
    }

    /// A form's disclosure, open when that form was sent and came back with errors.
    mutating func detailsStart(_ section: String, _ summary: String) {
        html.raw("<details class=\"details\""); html.raw(" open", if: view.typed.section == section)
        html.raw("><summary>"); html.text(summary); html.raw("</summary>\n")
    }

    /// `<form>` posting to the case's `path`, with its tokens.
    mutating func formStart(_ path: String, extra: StaticString = " novalidate autocomplete=\"off\" class=\"grid-two-thirds\"", attributes: StaticString = "\n    ") {
        html.raw("<form method=\"post\" action=\"/cases/"); html.text(view.id); html.raw("/"); html.text(path); html.raw("\"")
        html.raw(extra)
        html.raw(">\n  "); tokens(); html.raw("\n"); html.raw(attributes)
    }

    mutating func formEnd(_ button: String) {
        html.raw("  <button class=\"button\" type=\"submit\">"); html.text(button); html.raw("</button>\n</form>\n</details>\n")
    }

    mutating func group(_ field: String, id: String? = nil) {
        html.raw("<div class=\"form-group"); html.raw(" form-group--error", if: errors[field] != nil); html.raw("\"")
        if let id { html.raw(" id=\""); html.text(id); html.raw("\"") }
        html.raw(">")
    }

    mutating func error(_ field: String) {
        guard let message = errors[field] else { return }
        html.raw("<p class=\"error-message\" id=\""); html.text(field); html.raw("-error\"><span class=\"visually-hidden\">Error:</span> ")
        html.text(message); html.raw("</p>")
    }

    mutating func options(_ options: [SelectOption]) {
        for option in options {
            html.raw("<option value=\""); html.text(option.value); html.raw("\""); html.raw(" selected", if: option.selected)
            html.raw(">"); html.text(option.label); html.raw("</option>")
        }
    }

    mutating func select(_ field: String, id: String, label: String, _ choices: [SelectOption]) {
        group(field); html.raw("<label class=\"label\" for=\""); html.text(id); html.raw("\">"); html.text(label); html.raw("</label>"); error(field)
        html.raw("<select class=\"select\" id=\""); html.text(id); html.raw("\" name=\""); html.text(field); html.raw("\"><option value=\"\">Choose</option>")
        options(choices); html.raw("</select></div>\n    ")
    }

    mutating func input(_ field: String, id: String, label: String, size: StaticString) {
        group(field); html.raw("<label class=\"label\" for=\""); html.text(id); html.raw("\">"); html.text(label); html.raw("</label>"); error(field)
        html.raw("<input class=\"input"); html.raw(size); html.raw("\" id=\""); html.text(id); html.raw("\" name=\""); html.text(field)
        html.raw("\" type=\"text\" value=\""); html.text(values[field] ?? ""); html.raw("\" autocomplete=\"off\"></div>\n    ")
    }

    mutating func textarea(_ field: String, id: String, label: String, rows: Int) {
        group(field); html.raw("<label class=\"label\" for=\""); html.text(id); html.raw("\">"); html.text(label); html.raw("</label>"); error(field)
        html.raw("<textarea id=\""); html.text(id); html.raw("\" name=\""); html.text(field); html.raw("\" rows=\""); html.text(rows); html.raw("\">")
        html.text(values[field] ?? ""); html.raw("</textarea></div>\n    ")
    }
}
