/* routes.c: the route table, the only place routes are declared. */
#include "http/router.h"

#include "api/api.h"
#include "http/static.h"
#include "ui/pages.h"

enum { CSP_REPORT_LIMIT = 16 * 1024 };

const struct route routes[] = {
	/* Pages */
	{ HTTP_GET, "/", page_home, ROUTE_HTML, 0 },
	/* Files */
	{ HTTP_GET, "/static/{path...}", static_serve, ROUTE_HTML, 0 },
	/* Service */
	{ HTTP_GET, "/healthz", api_healthz, ROUTE_JSON, 0 },
	/* API v1 */
	{ HTTP_POST, "/api/v1/csp-reports", api_csp_report,
	  ROUTE_JSON | ROUTE_BODY_JSON, CSP_REPORT_LIMIT },
};

const size_t routes_count = sizeof routes / sizeof routes[0];
