/* input.c: typed JSON field access with per-field error details. */
#include "input.h"

#include <string.h>

static json_t *get(const struct req *r, const char *key)
{
	return json_is_object(r->json) ? json_object_get(r->json, key) : NULL;
}

void input_expect_object(struct req *r, const char *const *allowed)
{
	const char *key;
	json_t *v;

	if (!json_is_object(r->json)) {
		errinfo_add(&r->err, "", 0, 0, "the body must be a JSON object");
		return;
	}
	json_object_foreach(r->json, key, v) {
		const char *const *a;
		bool known = false;
		(void)v;
		for (a = allowed; *a && !known; a++)
			known = strcmp(*a, key) == 0;
		if (!known)
			errinfo_add(&r->err, key, 0, 0, "is not a known field");
	}
}

bool input_has(const struct req *r, const char *key)
{
	return get(r, key) != NULL;
}

const char *input_string(struct req *r, const char *key, const char *dflt)
{
	json_t *v = get(r, key);

	if (!v)
		return dflt;
	if (!json_is_string(v)) {
		errinfo_add(&r->err, key, 0, 0, "must be a string");
		return dflt;
	}
	return json_string_value(v);
}

int64_t input_int(struct req *r, const char *key, int64_t dflt,
		  int64_t if_null)
{
	json_t *v = get(r, key);

	if (!v)
		return dflt;
	if (json_is_null(v))
		return if_null;
	if (!json_is_integer(v)) {
		errinfo_add(&r->err, key, 0, 0, "must be a whole number");
		return dflt;
	}
	return json_integer_value(v);
}

bool input_bool(struct req *r, const char *key, bool dflt)
{
	json_t *v = get(r, key);

	if (!v)
		return dflt;
	if (!json_is_boolean(v)) {
		errinfo_add(&r->err, key, 0, 0, "must be true or false");
		return dflt;
	}
	return json_is_true(v);
}

void input_strings(struct req *r, const char *key, const char **out,
		   size_t max, size_t *n)
{
	json_t *v = get(r, key), *item;
	size_t i;

	if (!v)
		return;
	if (!json_is_array(v)) {
		errinfo_add(&r->err, key, 0, 0, "must be an array of strings");
		return;
	}
	if (json_array_size(v) > max) {
		errinfo_add(&r->err, key, 0, 0, "has more than %zu items", max);
		return;
	}
	*n = 0;
	json_array_foreach(v, i, item) {
		if (!json_is_string(item)) {
			errinfo_add(&r->err, key, 0, 0,
				    "item %zu must be a string", i + 1);
			continue;
		}
		out[(*n)++] = json_string_value(item);
	}
}

int input_finish(struct req *r)
{
	if (r->err.ndetails)
		return req_fail(r, ERR_INVALID, "The request has invalid fields.");
	return 0;
}

int64_t input_query_id(const struct req *r, const char *name, int64_t dflt)
{
	const char *s = req_query(r, name);
	int64_t v = 0;
	size_t n = 0;

	if (!s || !*s)
		return dflt;
	for (; *s; s++, n++) {
		if (*s < '0' || *s > '9' || n >= 18)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > 0 ? v : -1;
}
