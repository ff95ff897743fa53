/* fuzz-json-body.c: body_parse_json and body_is_json_type on arbitrary bytes; checks error reports, the depth limit and a json_dumps round trip, and never leaks. */
#include "http/body.h"
#include "util/err.h"
#include "util/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* Nesting depth of v: 0 for a scalar, 1 for [] or {}, and so on. */
static size_t depth_of(json_t *v)
{
	size_t d = 0, i;
	const char *key;
	json_t *x;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			size_t e = depth_of(x);
			if (e > d)
				d = e;
		}
		return d + 1;
	}
	if (json_is_object(v)) {
		json_object_foreach(v, key, x) {
			size_t e = depth_of(x);
			if (e > d)
				d = e;
		}
		return d + 1;
	}
	return 0;
}

static void check_errinfo_text(const struct errinfo *ei)
{
	size_t i;

	/* err.c keeps messages valid UTF-8: they end up in JSON and HTML. */
	CHECK(memchr(ei->message, '\0', sizeof ei->message));
	CHECK(utf8_valid(ei->message, strlen(ei->message)));
	CHECK(ei->ndetails <= ERRINFO_DETAILS_MAX);
	for (i = 0; i < ei->ndetails; i++) {
		const struct errdetail *d = &ei->details[i];
		CHECK(memchr(d->message, '\0', sizeof d->message));
		CHECK(utf8_valid(d->message, strlen(d->message)));
		CHECK(memchr(d->field, '\0', sizeof d->field));
	}
}

static void check_content_type(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	char *line = malloc(n + 1);

	if (!line)
		return;
	memcpy(line, data, n);
	line[n] = '\0';
	(void)body_is_json_type(line);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct errinfo ei; /* large: keep it off the stack */
	json_t *v = (json_t *)1, *again;
	char *dump;
	int rc;

	check_content_type(data, size);

	errinfo_clear(&ei);
	rc = body_parse_json((const char *)data, size, &v, &ei);
	if (rc != 0) {
		CHECK(rc == ERR_MALFORMED);
		CHECK(v == NULL);
		CHECK(ei.code == ERR_MALFORMED);
		CHECK(ei.message[0] != '\0');
		if (size > 0)
			CHECK(ei.ndetails >= 1);
		check_errinfo_text(&ei);
		return 0;
	}
	CHECK(v != NULL);
	CHECK(size > 0);
	/* Accepted input is valid UTF-8 and no deeper than the limit. */
	CHECK(utf8_valid((const char *)data, size));
	CHECK(depth_of(v) <= BODY_JSON_DEPTH_MAX);

	/* Round trip: what we accepted, serialised, parses to an equal value
	 * through the same strict parser. */
	dump = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	CHECK(dump != NULL);
	again = NULL;
	errinfo_clear(&ei);
	rc = body_parse_json(dump, strlen(dump), &again, &ei);
	CHECK(rc == 0 && again != NULL);
	CHECK(json_equal(v, again));
	json_decref(again);
	free(dump);
	json_decref(v);
	return 0;
}
