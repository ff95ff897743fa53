/* csp-report.c: receives Content-Security-Policy violation reports. */
#include "api.h"

#include "util/log.h"

/* Browsers send {"csp-report": {...}} (report-uri) or a Reporting API
 * array; either way only a few fields are worth a log line. */
static const char *field(json_t *report, const char *name)
{
	const char *s = json_string_value(json_object_get(report, name));

	return s ? s : "-";
}

int api_csp_report(struct req *r, struct resp *w)
{
	json_t *rep = json_object_get(r->json, "csp-report");

	if (!rep && json_is_array(r->json))
		rep = json_object_get(json_array_get(r->json, 0), "body");
	if (!json_is_object(rep)) {
		errinfo_add(&r->err, "csp-report", 0, 0,
			    "expected an object named csp-report");
		return req_fail(r, ERR_INVALID, "not a CSP violation report");
	}
	log_msg(LOG_WARN, "csp violation: directive=%.80s blocked=%.200s "
		"page=%.200s", field(rep, "violated-directive"),
		field(rep, "blocked-uri"), field(rep, "document-uri"));
	w->status = 204;
	return 0;
}
