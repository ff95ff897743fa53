/* page-error.c: the HTML page for 4xx and 5xx answers. */
#include "pages.h"

#include "ui/layout.h"

#include <stdio.h>

int page_error(struct req *r, struct resp *w, int status, const char *title,
	       const char *message)
{
	struct html h;
	struct layout l = { .title = title, .current = NAV_NONE, .r = r };
	char code[16];

	snprintf(code, sizeof code, "Error %d", status);
	html_init(&h, &w->body);
	layout_begin(&h, &l);
	html_elem(&h, EL_H1, title, ATTR__END);
	html_elem(&h, EL_P, message, ATTR_CLASS, "usa-intro", ATTR__END);
	html_elem(&h, EL_P, code, ATTR_CLASS, "text-base", ATTR__END);
	html_open(&h, EL_P, ATTR__END);
	html_elem(&h, EL_A, "Go to the home page", ATTR_HREF, "/", ATTR_CLASS,
		  "usa-button", ATTR__END);
	html_close(&h);
	layout_end(&h, &l);
	return layout_respond(&h, w, status);
}
