/// The sign-in page's content, written in Swift: every visitor's first page, and the page a
/// flood of unauthenticated requests lands on.
extension SignInController.View {
    func write(into html: inout HTML, csrf: String) {
        let byField = errors.byField
        html.raw("<div class=\"grid-two-thirds\">\n")
        errors.writeSummary(into: &html)
        html.raw("<h1 class=\"heading-l\">Sign in to Lantern</h1>\n")
        if kept || expired {
            html.raw("<div class=\"inset\">You were signed out because you had not used Lantern for "); html.text(idleMinutes)
            html.raw(kept ? " minutes. What you sent has been kept for you: sign in again to check it and send it.</div>\n"
                          : " minutes. Sign in again to continue.</div>\n")
        }
        if let sso {
            html.raw("<p class=\"body\"><a class=\"button\" href=\""); html.text(ssoLink); html.raw("\">Sign in with "); html.text(sso)
            html.raw("</a></p>\n<p class=\"body\">Or sign in with your Lantern password:</p>\n")
        }
        html.raw("<form method=\"post\" action=\"/sign-in\" novalidate>\n  <input type=\"hidden\" name=\"_csrf\" value=\""); html.text(csrf)
        html.raw("\">\n  <input type=\"hidden\" name=\"next\" value=\""); html.text(next); html.raw("\">\n")
        let emailError = byField["email"], passwordError = byField["password"]
        html.raw("  <div class=\"form-group"); html.raw(" form-group--error", if: emailError != nil)
        html.raw("\">\n    <label class=\"label\" for=\"email\">Email address</label>\n")
        if let emailError {
            html.raw("    <p class=\"error-message\" id=\"email-error\"><span class=\"visually-hidden\">Error:</span> "); html.text(emailError); html.raw("</p>\n")
        }
        html.raw("    <input class=\"input"); html.raw(" input--error", if: emailError != nil)
        html.raw("\" id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" spellcheck=\"false\" value=\""); html.text(email); html.raw("\"")
        html.raw(" aria-describedby=\"email-error\"", if: emailError != nil)
        html.raw(">\n  </div>\n  <div class=\"form-group"); html.raw(" form-group--error", if: passwordError != nil)
        html.raw("\">\n    <label class=\"label\" for=\"password\">Password</label>\n")
        if let passwordError {
            html.raw("    <p class=\"error-message\" id=\"password-error\"><span class=\"visually-hidden\">Error:</span> "); html.text(passwordError); html.raw("</p>\n")
        }
        html.raw("    <input class=\"input"); html.raw(" input--error", if: passwordError != nil)
        html.raw("\" id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\"")
        html.raw(" aria-describedby=\"password-error\"", if: passwordError != nil)
        html.raw("""
            >
              </div>
              <button type="submit" class="button">Sign in</button>
            </form>
            <p class="body"><a href="/sign-in/forgotten-password">Forgotten your password?</a></p>
            <h2 class="heading-m">Reporting a concern?</h2>
            <p class="body">If someone is in immediate danger, call 999. You can also call the Modern Slavery &amp; Exploitation Helpline on 08000 121 700.</p>
            </div>

            """)
    }
}

extension FormErrors {
    /// `Layout/error-summary.leaf`, for the pages written in Swift.
    func writeSummary(into html: inout HTML) {
        guard !items.isEmpty else { return }
        html.raw("""
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
              <h2 class="error-summary__title" id="error-summary-title">There is a problem</h2>
              <ul class="error-summary__list">

            """)
        for item in items {
            html.raw("    <li><a href=\"#"); html.text(item.field); html.raw("\">"); html.text(item.message); html.raw("</a></li>\n")
        }
        html.raw("  </ul>\n</div>\n")
    }
}
