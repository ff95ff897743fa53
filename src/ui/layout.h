/* layout.h: the page frame every HTML page shares (USWDS banner, header, nav, footer). */
#ifndef CXM_LAYOUT_H
#define CXM_LAYOUT_H

#include "http/resp.h"
#include "ui/html.h"

/* Primary navigation entries; only pages that exist are listed. */
enum nav_item { NAV_NONE, NAV_HOME, NAV__MAX };

struct layout {
	const char *title;        /* page title, before " | cxm" */
	enum nav_item current;    /* highlighted navigation entry */
};

/* Starts the page: doctype, head, skip link, banner, header, navigation,
 * and opens <main id="main-content">.  The caller writes the content. */
void layout_begin(struct html *h, const struct layout *l);

/* Closes main, writes the footer and scripts, closes the document. */
void layout_end(struct html *h);

/* Finishes h and turns it into the response: 200-style HTML with the
 * given status, or a negative err when rendering failed (the dispatcher
 * then serves a clean 500). */
int layout_respond(struct html *h, struct resp *w, int status);

#endif
