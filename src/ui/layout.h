/* layout.h: the page frame every HTML page shares (USWDS banner, header, nav, footer). */
#ifndef CXM_LAYOUT_H
#define CXM_LAYOUT_H

#include "http/req.h"
#include "http/resp.h"
#include "ui/html.h"

/* Primary navigation entries; each is shown only to those who may open
 * it. */
enum nav_item { NAV_NONE, NAV_HOME, NAV_ORGS, NAV_SERVICES, NAV_USERS,
		NAV_AUDIT, NAV_ACCOUNT, NAV_LOGIN, NAV__MAX };

struct layout {
	const char *title;        /* page title, before " | cxm" */
	enum nav_item current;    /* highlighted navigation entry */
	const struct req *r;      /* who is looking (navigation, sign out) */
};

/* Starts the page: doctype, head, skip link, banner, header, navigation,
 * and opens <main id="main-content">.  The caller writes the content. */
void layout_begin(struct html *h, const struct layout *l);

/* Closes main, writes the footer and scripts, closes the document. */
void layout_end(struct html *h, const struct layout *l);

/* Finishes h and turns it into the response: 200-style HTML with the
 * given status, or a negative err when rendering failed (the dispatcher
 * then serves a clean 500). */
int layout_respond(struct html *h, struct resp *w, int status);

#endif
