/* fuzz-router.c: router_match of arbitrary paths against the real route table for every method, with route_param lookups and Allow headers. */
#include "http/router.h"
#include "util/arena.h"
#include "util/err.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* Room for the path copy and the parameter names, whatever the size. */
static size_t cap_for(size_t len)
{
	return 2 * len + 4096;
}

/* For a pattern whose only parameter is a final "{name...}" (such as
 * "/static/{path...}"), the length of the literal prefix; 0 otherwise. */
static size_t rest_only_prefix(const char *pattern)
{
	const char *brace = strchr(pattern, '{');
	size_t len = strlen(pattern);

	if (!brace || strchr(brace + 1, '{') || len < 4 ||
	    strcmp(pattern + len - 4, "...}") != 0)
		return 0;
	return (size_t)(brace - pattern);
}

static void check_match(const char *path, enum http_method m,
			const struct route *r, const struct route_params *p)
{
	enum http_method want = m == HTTP_HEAD ? HTTP_GET : m;
	size_t i, prefix;

	CHECK(r >= routes && r < routes + routes_count);
	CHECK(r->method == want);
	CHECK(p->n <= ROUTE_PARAMS_MAX);
	if (!strchr(r->pattern, '{')) {
		/* A literal pattern matches only its own text. */
		CHECK(p->n == 0);
		CHECK(strcmp(r->pattern, path) == 0);
	}
	for (i = 0; i < p->n; i++) {
		const char *name = p->p[i].name, *value = p->p[i].value;
		CHECK(name && value);
		CHECK(*name && *value);
		/* The first parameter of that name is what route_param gives. */
		{
			size_t j;
			for (j = 0; j < i; j++)
				if (strcmp(p->p[j].name, name) == 0)
					break;
			if (j == i)
				CHECK(route_param(p, name) == value);
		}
		/* Segments are never empty, so neither "//" nor a trailing
		 * '/' can be captured. */
		CHECK(!strstr(value, "//"));
		CHECK(value[strlen(value) - 1] != '/');
	}
	prefix = rest_only_prefix(r->pattern);
	if (prefix) {
		/* The rest capture is exactly the path after the prefix. */
		CHECK(p->n == 1);
		CHECK(strncmp(r->pattern, path, prefix) == 0);
		CHECK(strcmp(p->p[0].value, path + prefix) == 0);
	} else if (!strstr(r->pattern, "...}")) {
		for (i = 0; i < p->n; i++)
			CHECK(!strchr(p->p[i].value, '/'));
	}
	CHECK(route_param(p, "no-such-parameter") == NULL);
	CHECK(route_param(p, "") == NULL);
	(void)route_param(p, "path");
	(void)route_param(p, "id");
}

static void check_allow(unsigned allowed)
{
	char hdr[64];
	size_t len;
	int k;

	memset(hdr, 'x', sizeof hdr);
	router_allow_header(allowed, hdr, sizeof hdr);
	len = strnlen(hdr, sizeof hdr);
	CHECK(len < sizeof hdr);
	CHECK(len > 0);
	/* Every allowed method is named (all seven fit in 64 bytes). */
	for (k = 0; k < HTTP_METHOD__MAX; k++)
		if (allowed & (1u << k))
			CHECK(strstr(hdr, http_method_name((enum http_method)k)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool slash = size == 0 || data[0] != '/';
	char *path = malloc(size + 2);
	struct arena a;
	int m;

	if (!path)
		return 0;
	path[0] = '/';
	memcpy(path + slash, data, size);
	path[size + slash] = '\0';

	for (m = 0; m <= HTTP_METHOD__MAX; m++) {
		const struct route *r = (const struct route *)1;
		struct route_params params;
		unsigned allowed = 0xdead;
		enum http_method meth = (enum http_method)m;
		int rc;

		arena_init(&a, cap_for(size));
		memset(&params, 0xAA, sizeof params);
		rc = router_match(routes, routes_count, meth, path, &a, &r,
				  &params, &allowed);
		switch (rc) {
		case 0:
			CHECK(meth != HTTP_METHOD_UNKNOWN);
			CHECK(r != NULL);
			CHECK(allowed & (1u << (meth == HTTP_HEAD ? HTTP_GET : meth)));
			check_match(path, meth, r, &params);
			break;
		case ERR_METHOD:
			CHECK(r == NULL);
			CHECK(allowed != 0);
			CHECK(!(allowed & ~((1u << HTTP_METHOD__MAX) - 1)));
			if (meth != HTTP_METHOD_UNKNOWN)
				CHECK(!(allowed & (1u << meth)));
			check_allow(allowed);
			break;
		case ERR_NOTFOUND:
			CHECK(r == NULL);
			CHECK(allowed == 0);
			break;
		default:
			__builtin_trap();
		}
		arena_release(&a);

		/* A tiny arena: ERR_NOMEM (or a refusal), never an overrun. */
		arena_init(&a, 64);
		rc = router_match(routes, routes_count, meth, path, &a, &r,
				  &params, &allowed);
		CHECK(rc == 0 || rc == ERR_METHOD || rc == ERR_NOTFOUND ||
		      rc == ERR_NOMEM);
		if (rc == 0)
			check_match(path, meth, r, &params);
		arena_release(&a);
	}
	free(path);
	return 0;
}
