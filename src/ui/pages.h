/* pages.h: HTML page handlers (one file each) and the error page. */
#ifndef CXM_PAGES_H
#define CXM_PAGES_H

#include "http/req.h"
#include "http/resp.h"

/* GET / : what cxm is and what you can do in it. */
int page_home(struct req *r, struct resp *w);

/* Renders the error page for status into w (title and message are
 * escaped).  0, or an error when even this cannot be built. */
int page_error(struct req *r, struct resp *w, int status, const char *title,
	       const char *message);

#endif
