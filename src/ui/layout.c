/* layout.c: the shared page frame, following USWDS 3 markup. */
#include "layout.h"

#include "store/accounts.h"
#include "ui/widgets.h"
#include "util/err.h"

#include <stdbool.h>

struct nav_entry { const char *label, *href; };

static const struct nav_entry NAV[NAV__MAX] = {
	[NAV_HOME] = { "Home", "/" },
	[NAV_ORGS] = { "Organizations", "/orgs" },
	[NAV_SERVICES] = { "Services", "/services" },
	[NAV_USERS] = { "Users", "/admin/users" },
	[NAV_AUDIT] = { "Audit log", "/admin/audit" },
	[NAV_ACCOUNT] = { "My account", "/account" },
	[NAV_LOGIN] = { "Sign in", "/login" },
};

/* Whether the person looking may open navigation entry i. */
static bool nav_visible(const struct req *r, int i)
{
	const struct user *u = r ? r->user : NULL;
	bool admin = u && u->is_admin;

	switch (i) {
	case NAV_HOME: return true;
	case NAV_ORGS:
	case NAV_SERVICES: return u && (admin || r->ngrants > 0);
	case NAV_USERS:
	case NAV_AUDIT: return admin;
	case NAV_ACCOUNT: return u != NULL;
	case NAV_LOGIN: return u == NULL;
	default: return false;
	}
}

static void write_head(struct html *h, const struct layout *l)
{
	html_open(h, EL_HEAD, ATTR__END);
	html_open(h, EL_META, ATTR_CHARSET, "utf-8", ATTR__END);
	html_open(h, EL_META, ATTR_NAME, "viewport", ATTR_CONTENT,
		  "width=device-width, initial-scale=1", ATTR__END);
	html_open(h, EL_TITLE, ATTR__END);
	html_text(h, l->title);
	html_text(h, " | cxm");
	html_close(h);
	html_open(h, EL_LINK, ATTR_REL, "stylesheet", ATTR_HREF,
		  "/static/uswds/css/uswds.min.css", ATTR__END);
	html_open(h, EL_LINK, ATTR_REL, "stylesheet", ATTR_HREF,
		  "/static/css/cxm.css", ATTR__END);
	html_open(h, EL_LINK, ATTR_REL, "icon", ATTR_HREF,
		  "/static/uswds/img/favicons/favicon.ico", ATTR__END);
	html_open(h, EL_SCRIPT, ATTR_SRC, "/static/uswds/js/uswds-init.min.js",
		  ATTR__END);
	html_close(h);
	html_close(h);
}

static void write_banner(struct html *h)
{
	html_open(h, EL_SECTION, ATTR_CLASS, "usa-banner", ATTR_ARIA_LABEL,
		  "Official website of the United States government",
		  ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "usa-accordion", ATTR__END);
	html_open(h, EL_HEADER, ATTR_CLASS, "usa-banner__header", ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "usa-banner__inner", ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "grid-col-auto", ATTR__END);
	html_open(h, EL_IMG, ATTR_ARIA_HIDDEN, "true", ATTR_CLASS,
		  "usa-banner__header-flag", ATTR_SRC,
		  "/static/uswds/img/us_flag_small.png", ATTR_ALT, "",
		  ATTR__END);
	html_close(h);
	html_open(h, EL_DIV, ATTR_CLASS, "grid-col-fill tablet:grid-col-auto",
		  ATTR_ARIA_HIDDEN, "true", ATTR__END);
	html_elem(h, EL_P, "An official website of the United States government",
		  ATTR_CLASS, "usa-banner__header-text", ATTR__END);
	html_elem(h, EL_P, "Here\u2019s how you know", ATTR_CLASS,
		  "usa-banner__header-action", ATTR__END);
	html_close(h);
	html_open(h, EL_BUTTON, ATTR_TYPE, "button", ATTR_CLASS,
		  "usa-accordion__button usa-banner__button",
		  ATTR_ARIA_EXPANDED, "false", ATTR_ARIA_CONTROLS,
		  "gov-banner-default", ATTR__END);
	html_elem(h, EL_SPAN, "Here\u2019s how you know", ATTR_CLASS,
		  "usa-banner__button-text", ATTR__END);
	html_close(h); /* button */
	html_close(h); /* inner */
	html_close(h); /* header */

	html_open(h, EL_DIV, ATTR_CLASS,
		  "usa-banner__content usa-accordion__content", ATTR_ID,
		  "gov-banner-default", ATTR_HIDDEN, "", ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "grid-row grid-gap-lg", ATTR__END);

	html_open(h, EL_DIV, ATTR_CLASS, "usa-banner__guidance tablet:grid-col-6",
		  ATTR__END);
	html_open(h, EL_IMG, ATTR_CLASS, "usa-banner__icon usa-media-block__img",
		  ATTR_SRC, "/static/uswds/img/icon-dot-gov.svg", ATTR_ROLE,
		  "img", ATTR_ALT, "", ATTR_ARIA_HIDDEN, "true", ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "usa-media-block__body", ATTR__END);
	html_open(h, EL_P, ATTR__END);
	html_elem(h, EL_STRONG, "Official websites use .gov", ATTR__END);
	html_open(h, EL_BR, ATTR__END);
	html_text(h, "A ");
	html_elem(h, EL_STRONG, ".gov", ATTR__END);
	html_text(h, " website belongs to an official government "
		     "organization in the United States.");
	html_close(h);
	html_close(h);
	html_close(h);

	html_open(h, EL_DIV, ATTR_CLASS, "usa-banner__guidance tablet:grid-col-6",
		  ATTR__END);
	html_open(h, EL_IMG, ATTR_CLASS, "usa-banner__icon usa-media-block__img",
		  ATTR_SRC, "/static/uswds/img/icon-https.svg", ATTR_ROLE, "img",
		  ATTR_ALT, "", ATTR_ARIA_HIDDEN, "true", ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "usa-media-block__body", ATTR__END);
	html_open(h, EL_P, ATTR__END);
	html_elem(h, EL_STRONG, "Secure .gov websites use HTTPS", ATTR__END);
	html_open(h, EL_BR, ATTR__END);
	html_text(h, "A lock or https:// means you\u2019ve safely connected to "
		     "the .gov website. Share sensitive information only on "
		     "official, secure websites.");
	html_close(h);
	html_close(h);
	html_close(h);

	html_close(h); /* grid-row */
	html_close(h); /* content */
	html_close(h); /* accordion */
	html_close(h); /* section */
}

static void write_header(struct html *h, const struct req *r,
			 enum nav_item current)
{
	int i;

	html_open(h, EL_DIV, ATTR_CLASS, "usa-overlay", ATTR__END);
	html_close(h);
	html_open(h, EL_HEADER, ATTR_CLASS, "usa-header usa-header--basic",
		  ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "usa-nav-container", ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "usa-navbar", ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "usa-logo", ATTR__END);
	html_open(h, EL_EM, ATTR_CLASS, "usa-logo__text", ATTR__END);
	html_elem(h, EL_A, "cxm", ATTR_HREF, "/", ATTR_TITLE,
		  "cxm: customer experience maturity", ATTR__END);
	html_close(h);
	html_close(h);
	html_elem(h, EL_BUTTON, "Menu", ATTR_TYPE, "button", ATTR_CLASS,
		  "usa-menu-btn", ATTR__END);
	html_close(h); /* navbar */

	html_open(h, EL_NAV, ATTR_ARIA_LABEL, "Primary navigation", ATTR_CLASS,
		  "usa-nav", ATTR__END);
	html_open(h, EL_BUTTON, ATTR_TYPE, "button", ATTR_CLASS, "usa-nav__close",
		  ATTR__END);
	html_open(h, EL_IMG, ATTR_SRC, "/static/uswds/img/usa-icons/close.svg",
		  ATTR_ROLE, "img", ATTR_ALT, "Close", ATTR__END);
	html_close(h);
	html_open(h, EL_UL, ATTR_CLASS, "usa-nav__primary usa-accordion",
		  ATTR__END);
	for (i = 1; i < NAV__MAX; i++) {
		bool here = (enum nav_item)i == current;
		if (!nav_visible(r, i))
			continue;
		html_open(h, EL_LI, ATTR_CLASS, "usa-nav__primary-item",
			  ATTR__END);
		html_open(h, EL_A, ATTR_HREF, NAV[i].href, ATTR_CLASS,
			  here ? "usa-nav-link usa-current" : "usa-nav-link",
			  ATTR_ARIA_CURRENT, here ? "page" : NULL, ATTR__END);
		html_elem(h, EL_SPAN, NAV[i].label, ATTR__END);
		html_close(h);
		html_close(h);
	}
	if (r && r->user) {
		html_open(h, EL_LI, ATTR_CLASS, "usa-nav__primary-item",
			  ATTR__END);
		html_open(h, EL_FORM, ATTR_METHOD, "post", ATTR_ACTION,
			  "/logout", ATTR_CLASS, "cxm-inline-form", ATTR__END);
		ui_csrf(h, r, NULL);
		html_elem(h, EL_BUTTON, "Sign out", ATTR_TYPE, "submit",
			  ATTR_CLASS, "usa-button usa-button--unstyled usa-nav-link cxm-nav-button",
			  ATTR__END);
		html_close(h);
		html_close(h);
	}
	html_close(h); /* ul */
	html_close(h); /* nav */
	html_close(h); /* container */
	html_close(h); /* header */
}

void layout_begin(struct html *h, const struct layout *l)
{
	html_doctype(h);
	html_open(h, EL_HTML, ATTR_LANG, "en", ATTR__END);
	write_head(h, l);
	html_open(h, EL_BODY, ATTR__END);
	html_elem(h, EL_A, "Skip to main content", ATTR_CLASS, "usa-skipnav",
		  ATTR_HREF, "#main-content", ATTR__END);
	write_banner(h);
	write_header(h, l->r, l->current);
	html_open(h, EL_MAIN, ATTR_ID, "main-content", ATTR_CLASS,
		  "usa-section", ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "grid-container", ATTR__END);
}

/* The same entries as a plain list in the footer: on a narrow screen
 * without JavaScript the header menu cannot open, and this still works. */
static void write_footer_nav(struct html *h, const struct req *r)
{
	int i;

	html_open(h, EL_NAV, ATTR_ARIA_LABEL, "Footer navigation", ATTR_CLASS,
		  "usa-footer__nav", ATTR__END);
	html_open(h, EL_UL, ATTR_CLASS, "usa-list usa-list--unstyled cxm-footer-links",
		  ATTR__END);
	for (i = 1; i < NAV__MAX; i++) {
		if (!nav_visible(r, i))
			continue;
		html_open(h, EL_LI, ATTR__END);
		html_elem(h, EL_A, NAV[i].label, ATTR_HREF, NAV[i].href,
			  ATTR_CLASS, "usa-footer__primary-link", ATTR__END);
		html_close(h);
	}
	html_close(h);
	html_close(h);
}

void layout_end(struct html *h, const struct layout *l)
{
	html_close(h); /* grid-container */
	html_close(h); /* main */
	html_open(h, EL_FOOTER, ATTR_CLASS, "usa-footer usa-footer--slim",
		  ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "usa-footer__primary-section",
		  ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "grid-container", ATTR__END);
	write_footer_nav(h, l->r);
	html_close(h);
	html_close(h);
	html_open(h, EL_DIV, ATTR_CLASS, "usa-footer__secondary-section",
		  ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "grid-container", ATTR__END);
	html_elem(h, EL_P, "cxm: measure and grow customer-experience maturity, "
		  "and hear the voice of your customers.", ATTR__END);
	html_close(h);
	html_close(h);
	html_close(h);
	html_open(h, EL_SCRIPT, ATTR_SRC, "/static/uswds/js/uswds.min.js",
		  ATTR__END);
	html_close(h);
	html_close(h); /* body */
	html_close(h); /* html */
}

int layout_respond(struct html *h, struct resp *w, int status)
{
	int rc = html_finish(h);

	if (rc)
		return rc == ERR_INVALID ? ERR_INTERNAL : rc;
	w->status = status;
	w->content_type = "text/html; charset=utf-8";
	return 0;
}
