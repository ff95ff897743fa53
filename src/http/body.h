/* body.h: parsing request bodies (JSON) into values, with precise errors. */
#ifndef CXM_BODY_H
#define CXM_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

enum { BODY_JSON_DEPTH_MAX = 64 };

/* True for application/json, application/...+json and application/csp-report,
 * with or without parameters (charset=utf-8 only). */
bool body_is_json_type(const char *content_type);

/* Parses data[0..len) as one JSON value.  Rejects, with ERR_MALFORMED and
 * a message plus one detail giving line and column: empty input, invalid
 * UTF-8, syntax errors, duplicate object keys, trailing data, and nesting
 * deeper than BODY_JSON_DEPTH_MAX.  On success *out is a new reference. */
int body_parse_json(const char *data, size_t len, json_t **out,
		    struct errinfo *ei);

#endif
