/// The home page's content, written in Swift: it is the first page of every session and the
/// busiest after the case list.
extension HomeController.View {
    func write(into html: inout HTML) {
        html.raw("<span class=\"caption\">"); html.text(role); html.raw(" · "); html.text(team); html.raw("</span>\n")
        html.raw("<h1 class=\"heading-l\">Home</h1>\n<p class=\"lead\">"); html.text(rolePurpose); html.raw("</p>\n")
        if !figures.isEmpty {
            html.raw("<h2 class=\"heading-m\">At a glance</h2>\n<ul class=\"figures\">\n")
            for figure in figures {
                html.raw("  <li class=\"figure\">")
                if let path = figure.path { html.raw("<a href=\""); html.text(path); html.raw("\">") }
                html.raw("<span class=\"figure__value\">"); html.text(figure.value)
                html.raw("</span> <span class=\"figure__label\">"); html.text(figure.label); html.raw("</span>")
                html.raw("</a>", if: figure.path != nil)
                html.raw("</li>\n")
            }
            html.raw("</ul>\n")
        }
        if !deadlines.isEmpty {
            html.raw("""
                <h2 class="heading-m" id="deadlines">Deadlines on your cases</h2>
                <table class="table">
                  <caption class="visually-hidden">Tasks and decisions overdue or due within a week</caption>
                  <thead><tr><th scope="col">Case</th><th scope="col">What</th><th scope="col">Due</th></tr></thead>
                  <tbody>
                """)
            for deadline in deadlines {
                html.raw("<tr><td><a href=\"/cases/"); html.text(deadline.caseID); html.raw("\">"); html.text(deadline.reference)
                html.raw("</a></td><td>"); html.text(deadline.what); html.raw("</td><td>"); html.text(deadline.due)
                html.raw(" <strong class=\"tag tag--overdue\">Overdue</strong>", if: deadline.overdue)
                html.raw("</td></tr>")
            }
            html.raw("</tbody>\n</table>\n")
        }
        if !overdueReviews.isEmpty {
            html.raw("""
                <h2 class="heading-m">Annual reviews overdue</h2>
                <table class="table">
                  <caption class="visually-hidden">Contracts whose annual supplier assessment is overdue</caption>
                  <thead><tr><th scope="col">Contract</th><th scope="col">Supplier</th><th scope="col">Risk</th><th scope="col">Review was due</th></tr></thead>
                  <tbody>
                """)
            for row in overdueReviews {
                html.raw("<tr><td><a href=\"/contracts/"); html.text(row.id); html.raw("\">"); html.text(row.title)
                html.raw("</a></td><td>"); html.text(row.supplier); html.raw("</td><td><strong class=\"tag tag--"); html.text(row.risk)
                html.raw("\">"); html.text(row.riskLabel); html.raw("</strong></td><td>"); html.text(row.review)
                html.raw(" <strong class=\"tag tag--overdue\">Overdue</strong></td></tr>")
            }
            html.raw("</tbody>\n</table>\n<p class=\"body\"><a href=\""); html.text(overdueReviewsLink); html.raw("\">See every overdue review</a></p>\n")
        }
        if !sections.isEmpty {
            html.raw("<h2 class=\"heading-m\">Your sections</h2>\n<ul class=\"cards\">\n")
            for section in sections {
                html.raw("  <li class=\"card\"><h3 class=\"heading-s\"><a href=\""); html.text(section.path); html.raw("\">")
                html.text(section.title); html.raw("</a></h3><p class=\"body\">"); html.text(section.summary); html.raw("</p></li>\n")
            }
            html.raw("</ul>\n")
        }
        if !recentAudit.isEmpty {
            html.raw("""
                <h2 class="heading-m">Latest audit entries</h2>
                <table class="table table--compact">
                  <caption class="visually-hidden">The eight newest audit log rows</caption>
                  <thead><tr><th scope="col">Time</th><th scope="col">Action</th><th scope="col">Record</th><th scope="col">Outcome</th></tr></thead>
                  <tbody>

                """)
            for entry in recentAudit {
                html.raw("  <tr><td>"); html.text(entry.at); html.raw("</td><td>"); html.text(entry.action)
                html.raw("</td><td>"); html.text(entry.entity); html.raw("</td><td><strong class=\"tag tag--"); html.text(entry.outcome)
                html.raw("\">"); html.text(entry.outcome); html.raw("</strong></td></tr>\n")
            }
            html.raw("  </tbody>\n</table>\n")
        }
        html.raw("<h2 class=\"heading-m\">What your role lets you do</h2>\n<ul class=\"list list--bullet\">\n  ")
        for item in can { html.raw("<li>"); html.text(item); html.raw("</li>") }
        html.raw("\n</ul>\n")
    }
}
