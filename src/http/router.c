/* router.c: segment-wise matching of paths against route patterns. */
#include "router.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const METHOD_NAMES[HTTP_METHOD__MAX] = {
	[HTTP_GET] = "GET", [HTTP_HEAD] = "HEAD", [HTTP_POST] = "POST",
	[HTTP_PUT] = "PUT", [HTTP_PATCH] = "PATCH", [HTTP_DELETE] = "DELETE",
	[HTTP_OPTIONS] = "OPTIONS",
};

enum http_method http_method_parse(const char *name)
{
	int m;

	for (m = 0; m < HTTP_METHOD__MAX; m++)
		if (strcmp(name, METHOD_NAMES[m]) == 0)
			return (enum http_method)m;
	return HTTP_METHOD_UNKNOWN;
}

const char *http_method_name(enum http_method m)
{
	return (unsigned)m < HTTP_METHOD__MAX ? METHOD_NAMES[m] : "?";
}

/* Splits an absolute path into segments in place.  "/" has none; empty
 * segments ("//", trailing "/") make the path unmatchable (-1). */
static int split(char *path, char **segs, size_t max)
{
	size_t n = 0;
	char *p = path;

	if (*p != '/')
		return -1;
	p++;
	if (!*p)
		return 0;
	for (;;) {
		char *slash = strchr(p, '/');
		if (n == max || p == slash || !*p)
			return -1;
		segs[n++] = p;
		if (!slash)
			return (int)n;
		*slash = '\0';
		p = slash + 1;
	}
}

/* Length of the name inside "{name}" or "{name...}"; 0 when seg is not a
 * parameter.  *rest is set for the "..." form. */
static size_t param_name(const char *seg, size_t len, bool *rest)
{
	*rest = false;
	if (len < 3 || seg[0] != '{' || seg[len - 1] != '}')
		return 0;
	if (len > 5 && memcmp(seg + len - 4, "...}", 4) == 0) {
		*rest = true;
		return len - 5;
	}
	return len - 2;
}

/* Matches one pattern against pre-split path segments.  With params NULL
 * it only answers; with params it captures values (pointers into the path
 * copy; a "{name...}" capture rejoins the remaining segments in place). */
static bool match_pattern(const char *pattern, char **segs, int nsegs,
			  struct arena *a, struct route_params *params)
{
	const char *p = pattern + 1;
	int i = 0;

	if (params)
		params->n = 0;
	if (!*p)
		return nsegs == 0;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		bool rest;
		size_t nlen = param_name(p, len, &rest);

		if (i >= nsegs)
			return false;
		if (nlen) {
			if (params && params->n < ROUTE_PARAMS_MAX) {
				char *name = arena_strndup(a, p + 1, nlen);
				const char *value = segs[i];
				if (rest) {
					/* Rejoin the remaining segments. */
					int j;
					for (j = i; j + 1 < nsegs; j++)
						segs[j][strlen(segs[j])] = '/';
				}
				if (!name)
					return false;
				params->p[params->n].name = name;
				params->p[params->n].value = value;
				params->n++;
			}
			if (rest)
				return true;
		} else if (strlen(segs[i]) != len ||
			   memcmp(segs[i], p, len) != 0) {
			return false;
		}
		i++;
		p = slash ? slash + 1 : p + len;
	}
	return i == nsegs;
}

int router_match(const struct route *table, size_t n, enum http_method m,
		 const char *path, struct arena *a, const struct route **out,
		 struct route_params *params, unsigned *allowed)
{
	char *copy, *segs[ROUTE_SEGMENTS_MAX];
	int nsegs;
	size_t i;
	enum http_method want = m == HTTP_HEAD ? HTTP_GET : m;
	const struct route *found = NULL;

	*out = NULL;
	*allowed = 0;
	params->n = 0;
	copy = arena_strdup(a, path);
	if (!copy)
		return ERR_NOMEM;
	nsegs = split(copy, segs, ROUTE_SEGMENTS_MAX);
	if (nsegs < 0)
		return ERR_NOTFOUND;
	for (i = 0; i < n; i++) {
		/* Match without capturing first: most rows fail cheaply. */
		if (!match_pattern(table[i].pattern, segs, nsegs, a, NULL))
			continue;
		*allowed |= 1u << table[i].method;
		if (table[i].method == HTTP_GET)
			*allowed |= 1u << HTTP_HEAD;
		if (!found && table[i].method == want)
			found = &table[i];
	}
	if (!found)
		return *allowed ? ERR_METHOD : ERR_NOTFOUND;
	if (!match_pattern(found->pattern, segs, nsegs, a, params))
		return ERR_NOMEM;
	*out = found;
	return 0;
}

void router_allow_header(unsigned allowed, char *out, size_t cap)
{
	size_t len = 0;
	int m;

	if (cap)
		out[0] = '\0';
	for (m = 0; m < HTTP_METHOD__MAX; m++) {
		int w;
		if (!(allowed & (1u << m)))
			continue;
		w = snprintf(out + len, cap - len, "%s%s", len ? ", " : "",
			     METHOD_NAMES[m]);
		if (w < 0 || (size_t)w >= cap - len)
			return;
		len += (size_t)w;
	}
}

const char *route_param(const struct route_params *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->p[i].name, name) == 0)
			return p->p[i].value;
	return NULL;
}

int router_check(const struct route *table, size_t n, struct errinfo *ei)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const char *pat = table[i].pattern, *q;
		bool rest_seen = false;

		if (pat && strlen(pat) > 1 && pat[strlen(pat) - 1] == '/')
			return errinfo_set(ei, ERR_INVALID,
				"route %s: trailing slash", pat);
		if (!pat || pat[0] != '/' || !table[i].handler ||
		    (unsigned)table[i].method >= HTTP_METHOD__MAX ||
		    table[i].method == HTTP_HEAD)
			return errinfo_set(ei, ERR_INVALID,
				"route %zu (%s): bad method, pattern or handler",
				i, pat ? pat : "(null)");
		if (table[i].role == ROLE_UNSET ||
		    (unsigned)table[i].role >= ROLE__MAX ||
		    (unsigned)table[i].scope >= SCOPE__MAX)
			return errinfo_set(ei, ERR_INVALID,
				"route %s %s: no role stated",
				METHOD_NAMES[table[i].method], pat);
		if ((table[i].flags & ROUTE_ANON) &&
		    table[i].role != ROLE_PUBLIC)
			return errinfo_set(ei, ERR_INVALID,
				"route %s: anonymous but not public", pat);
		if ((table[i].scope == SCOPE_ORG ||
		     table[i].scope == SCOPE_SERVICE) &&
		    !strstr(pat, "{id}"))
			return errinfo_set(ei, ERR_INVALID,
				"route %s: scoped by {id} but has none", pat);
		if ((table[i].scope == SCOPE_BODY_ORG ||
		     table[i].scope == SCOPE_BODY_PARENT) &&
		    !(table[i].flags & (ROUTE_BODY_JSON | ROUTE_BODY_FORM)))
			return errinfo_set(ei, ERR_INVALID,
				"route %s: scoped by body but takes none", pat);
		for (q = pat + 1; *q; ) {
			const char *slash = strchr(q, '/');
			size_t len = slash ? (size_t)(slash - q) : strlen(q);
			bool rest;
			if (rest_seen || len == 0 ||
			    (memchr(q, '{', len) && !param_name(q, len, &rest)))
				return errinfo_set(ei, ERR_INVALID,
					"route %s: malformed pattern", pat);
			param_name(q, len, &rest);
			rest_seen = rest;
			q = slash ? slash + 1 : q + len;
		}
		for (j = 0; j < i; j++)
			if (table[j].method == table[i].method &&
			    strcmp(table[j].pattern, pat) == 0)
				return errinfo_set(ei, ERR_INVALID,
					"route %s %s declared twice",
					METHOD_NAMES[table[i].method], pat);
	}
	return 0;
}

const char *route_scope_name(enum route_scope s)
{
	static const char *const NAMES[SCOPE__MAX] = {
		[SCOPE_NONE] = "none", [SCOPE_ORG] = "org",
		[SCOPE_SERVICE] = "service", [SCOPE_BODY_ORG] = "body-org",
		[SCOPE_BODY_PARENT] = "body-parent",
	};
	return (unsigned)s < SCOPE__MAX ? NAMES[s] : "?";
}
