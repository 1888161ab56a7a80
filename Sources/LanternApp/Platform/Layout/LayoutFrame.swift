/// The frame around every page: head, skip link, header with the person and their navigation,
/// the flash message, the idle-timeout dialog and the footer. Written in Swift because every
/// page has it, and in Leaf its navigation loop alone cost more than most pages' content.
/// `Layout/base.leaf` only marks where a view's content goes.
enum LayoutFrame {
    /// Everything before the page's own content, ending inside `<main>`.
    static func writeHead(_ layout: LayoutContext, into html: inout HTML) {
        html.raw("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n  <meta charset=\"utf-8\">\n  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n  <title>")
        html.text(layout.title); html.raw(" – "); html.text(layout.organisationName); html.raw(" – Lantern</title>\n")
        html.raw("  <link rel=\"stylesheet\" href=\"/css/lantern.css\">\n")
        html.raw("  <script src=\"/js/error-summary.js\" defer></script>\n", if: layout.hasErrors)
        if layout.idleSeconds != nil { html.raw("  <script src=\"/js/session-timeout.js\" defer></script>\n") }
        html.raw("  <script src=\"/js/stack-tables.js\" defer></script>\n</head>\n<body")
        if let idle = layout.idleSeconds { html.raw(" data-idle-seconds=\""); html.text(idle); html.raw("\"") }
        html.raw(">\n  <a href=\"#main-content\" class=\"skip-link\">Skip to main content</a>\n")
        html.raw("  <header class=\"header\" role=\"banner\">\n    <div class=\"width-container header__inner\">\n")
        html.raw("      <a class=\"header__brand\" href=\"/\">Lantern<span class=\"header__org\">")
        html.text(layout.organisationName); html.raw("</span></a>\n")
        if let person = layout.person {
            html.raw("      <div class=\"header__person\">\n        <span>"); html.text(person.name)
            html.raw(" <span class=\"header__role\">("); html.text(person.role); html.raw(")</span></span>\n")
            html.raw("""
                        <a href="/account/password">Change password</a>
                        <a href="/account/two-factor">Two-factor authentication</a>
                        <a href="/account/email">Email reminders</a>
                        <a href="/account/api-tokens">API tokens</a>
                        <form method="post" action="/sign-out" class="inline-form">
                          <input type="hidden" name="_csrf" value="
                """)
            html.text(layout.csrf); html.raw("\"><input type=\"hidden\" name=\"_once\" value=\""); html.text(layout.once)
            html.raw("\">\n          <button type=\"submit\" class=\"link-button\">Sign out</button>\n        </form>\n      </div>\n")
        }
        html.raw("    </div>\n")
        if !layout.navigation.isEmpty {
            html.raw("    <nav class=\"navigation\" aria-label=\"Main\">\n      <ul class=\"width-container navigation__list\">\n")
            for link in layout.navigation {
                html.raw("        <li><a href=\""); html.text(link.path); html.raw("\"")
                html.raw(" aria-current=\"page\" class=\"navigation__link--current\"", if: link.current)
                html.raw(">"); html.text(link.title); html.raw("</a></li>\n")
            }
            html.raw("      </ul>\n    </nav>\n")
        }
        html.raw("  </header>\n  <div class=\"width-container\">\n    <main class=\"main\" id=\"main-content\" role=\"main\" tabindex=\"-1\">\n")
        if let flash = layout.flash {
            html.raw("      <div class=\"notification-banner notification-banner--success\" role=\"status\">\n        <p class=\"notification-banner__heading\">")
            html.text(flash); html.raw("</p>\n      </div>\n")
        }
    }

    /// Everything after the page's own content.
    static func writeFoot(_ layout: LayoutContext, into html: inout HTML) {
        html.raw("\n    </main>\n  </div>\n")
        if layout.idleSeconds != nil {
            html.raw("  <dialog class=\"timeout-dialog\" id=\"timeout-warning\" aria-labelledby=\"timeout-heading\" aria-describedby=\"timeout-text\" data-csrf=\"")
            html.text(layout.csrf)
            html.raw("""
                ">
                    <h2 class="heading-m" id="timeout-heading">You are about to be signed out</h2>
                    <p class="body" id="timeout-text">For your security, Lantern will sign you out in <span id="timeout-countdown">2 minutes</span>.</p>
                    <p class="body" id="timeout-ended" hidden>You had not used Lantern for a while. Anything you typed on this page is still here: if you send it now, Lantern keeps it for you while you sign in again.</p>
                    <div class="visually-hidden" aria-live="assertive" id="timeout-live"></div>
                    <div class="button-group">
                      <button type="button" class="button" id="timeout-stay">Stay signed in</button>
                      <button type="button" class="button button--secondary" id="timeout-close" hidden>Back to the page</button>
                      <a class="link" id="timeout-sign-in" href="/sign-in" hidden>Sign in again</a>
                    </div>
                  </dialog>

                """)
        }
        html.raw("  <footer class=\"footer\" role=\"contentinfo\">\n    <div class=\"width-container\">\n")
        if layout.person != nil {
            html.raw("      <p>Lantern holds personal data about people who may be victims of exploitation. Use it only for the purpose you were given access for. Every view and change is recorded.</p>\n")
        }
        html.raw("      <p>Modern Slavery &amp; Exploitation Helpline: 08000 121 700. In an emergency call 999.</p>\n    </div>\n  </footer>\n</body>\n</html>\n")
    }
}
