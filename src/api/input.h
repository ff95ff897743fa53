/* input.h: reading typed fields from a JSON request body, collecting every problem. */
#ifndef CXM_API_INPUT_H
#define CXM_API_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "http/req.h"

/* Every getter below reads r->json (an object), records a 422 detail
 * naming the field when the value has the wrong type, and returns `dflt`
 * when the key is absent (and for null where noted).  Check with
 * input_finish(). */

/* Ensures the body is a JSON object with no keys outside `allowed`
 * (NULL-terminated); each unknown key becomes a detail. */
void input_expect_object(struct req *r, const char *const *allowed);
bool input_has(const struct req *r, const char *key);
const char *input_string(struct req *r, const char *key, const char *dflt);
/* Integers; null gives `if_null`. */
int64_t input_int(struct req *r, const char *key, int64_t dflt,
		  int64_t if_null);
bool input_bool(struct req *r, const char *key, bool dflt);
/* An array of strings into out (at most max); returns the count, or
 * keeps *n unchanged when absent. */
void input_strings(struct req *r, const char *key, const char **out,
		   size_t max, size_t *n);

/* ERR_INVALID ("the request has invalid fields") when any detail was
 * recorded, else 0. */
int input_finish(struct req *r);

/* A positive integer query parameter; dflt when absent; -1 when present
 * but not a positive integer. */
int64_t input_query_id(const struct req *r, const char *name, int64_t dflt);

#endif
