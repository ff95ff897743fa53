/* api.h: JSON API handlers (one file per resource). */
#ifndef CXM_API_H
#define CXM_API_H

#include "http/req.h"
#include "http/resp.h"

/* GET /healthz : {"status":"ok","version":...,"db":"ok"}, 503 when the
 * database cannot be read. */
int api_healthz(struct req *r, struct resp *w);

/* POST /api/v1/csp-reports : logs a browser's Content-Security-Policy
 * violation report (one line, truncated) and answers 204. */
int api_csp_report(struct req *r, struct resp *w);

#endif
