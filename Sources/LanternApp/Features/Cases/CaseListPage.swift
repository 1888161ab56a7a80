/// The case list's content, written in Swift: the busiest page of a caseworker's day.
struct CaseListPage {
    let rows: [CasesController.ListRow]
    let pagination: Pagination
    let filters: [SelectOption]
    let canEdit: Bool
    let canImport: Bool
    let search: String

    func write(into html: inout HTML) {
        html.raw("""
            <h1 class="heading-l">Cases</h1>
            <p class="body">Each case holds one potential victim. You see the cases you own, your team's, and (as a safeguarding lead) every case.</p>

            """)
        if canEdit {
            html.raw("<p class=\"body\"><a class=\"button button--secondary\" href=\"/cases/new\">Open a case</a>")
            html.raw(" <a class=\"link\" href=\"/cases/import\">Move in records from a former system</a>", if: canImport)
            html.raw("</p>\n")
        }
        html.raw("""
            <form method="get" action="/cases" class="filter" role="search">
              <div class="form-group">
                <label class="label" for="q">Find a case</label>
                <p class="hint" id="q-hint">A case reference such as CASE-26-AB12CD, or a name the person is known by.</p>
                <input class="input input--medium" id="q" name="q" type="search" value="
            """)
        html.text(search)
        html.raw("""
            " aria-describedby="q-hint" autocomplete="off" spellcheck="false">
                <button class="button button--secondary" type="submit">Search</button>
              </div>
            </form>
            <form method="get" action="/cases" class="filter">
              <div class="form-group">
                <label class="label" for="show">Show</label>
                <select class="select" id="show" name="show">
            """)
        for option in filters {
            html.raw("<option value=\""); html.text(option.value); html.raw("\"")
            html.raw(" selected", if: option.selected)
            html.raw(">"); html.text(option.label); html.raw("</option>")
        }
        html.raw("</select>\n    <button class=\"button button--secondary\" type=\"submit\">Show</button>\n  </div>\n</form>\n")
        guard !rows.isEmpty else {
            html.raw("<p class=\"body\">No cases to show.</p>\n")
            return
        }
        html.raw("<table class=\"table\">\n  <caption class=\"table__caption\">")
        html.raw("More than ", if: pagination.moreThan)
        html.text(pagination.total)
        html.raw(pagination.total == 1 ? " case" : " cases")
        html.raw("""
            </caption>
              <thead><tr><th scope="col">Case</th><th scope="col">Person</th><th scope="col">Age</th><th scope="col">Exploitation</th><th scope="col">Owner</th><th scope="col">Opened</th><th scope="col">Next deadline</th></tr></thead>
              <tbody>
            """)
        for row in rows {
            html.raw("<tr>\n    <td><a href=\"/cases/"); html.text(row.id); html.raw("\">"); html.text(row.reference); html.raw("</a>")
            html.raw(" (closed)", if: row.status == "Closed")
            html.raw("</td><td>"); html.text(row.name); html.raw("</td><td>"); html.text(row.age)
            html.raw("</td><td>"); html.text(row.types); html.raw("</td><td>"); html.text(row.owner)
            html.raw("</td><td>"); html.text(row.opened); html.raw("</td>\n    <td>"); html.text(row.nextDeadline)
            html.raw(" <strong class=\"tag tag--overdue\">Overdue</strong>", if: row.overdue)
            html.raw("</td>\n  </tr>")
        }
        html.raw("</tbody>\n</table>\n")
        pagination.write(into: &html)
    }
}
