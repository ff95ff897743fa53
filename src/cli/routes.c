/* routes.c: `cxm routes`: the route table with each route's role and scope. */
#include "cli.h"

#include "http/router.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fputs("Usage: cxm routes [--json]\n"
	      "\n"
	      "Prints every route the server answers: method, path pattern, the\n"
	      "role it needs (public, signed-in, viewer, facilitator, analyst,\n"
	      "admin), where its organization scope comes from, and whether it\n"
	      "is a page or an API route.  --json prints one JSON array.\n", out);
}

int cli_routes(int argc, char **argv)
{
	bool as_json = false;
	size_t i;
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--json") == 0)
			as_json = true;
		else if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
			usage(stdout);
			return CLI_OK;
		} else {
			return cli_usage_error("routes", "unexpected argument '%s'",
					       argv[a]);
		}
	}
	if (as_json) {
		json_t *arr = json_array();
		char *text;
		for (i = 0; arr && i < routes_count; i++) {
			const struct route *r = &routes[i];
			json_array_append_new(arr, json_pack(
				"{s:s, s:s, s:s, s:s, s:s, s:b}",
				"method", http_method_name(r->method),
				"pattern", r->pattern,
				"role", role_name(r->role),
				"scope", route_scope_name(r->scope),
				"kind", (r->flags & ROUTE_JSON) ? "api" : "page",
				"body", (r->flags & (ROUTE_BODY_JSON | ROUTE_BODY_FORM)) != 0));
		}
		text = arr ? json_dumps(arr, JSON_INDENT(1)) : NULL;
		json_decref(arr);
		if (!text)
			return CLI_USER_ERROR;
		puts(text);
		free(text);
		return CLI_OK;
	}
	for (i = 0; i < routes_count; i++)
		printf("%-7s %-40s %-12s %s\n", http_method_name(routes[i].method),
		       routes[i].pattern, role_name(routes[i].role),
		       route_scope_name(routes[i].scope));
	return CLI_OK;
}
