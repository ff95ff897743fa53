/* model-load.h: reads a maturity model from its YAML text (docs/model-format.md)
 * into struct model, reporting every problem with its line and column. */
#ifndef CXM_MODEL_LOAD_H
#define CXM_MODEL_LOAD_H

#include <stddef.h>

#include "core/model.h"
#include "util/arena.h"
#include "util/err.h"

/* Limits of the format: larger inputs are refused, not truncated. */
enum {
	MODEL_TEXT_MAX = 4 * 1024 * 1024,  /* bytes of YAML */
	MODEL_FUNCTIONS_MAX = 64,
	MODEL_INDICATORS_MAX = 256,        /* per function */
	MODEL_TACTICS_MAX = 256,           /* per function */
	MODEL_SCALES_MAX = 16,
	MODEL_OPTIONS_MAX = 20,            /* per scale */
	MODEL_RESOURCES_MAX = 32,          /* per tactic */
	MODEL_CROSSWALK_MAX = 16,          /* per level */
	MODEL_LANGUAGES_MAX = 32,
	MODEL_STRING_MAX = 16384,          /* bytes of one text */
	MODEL_KEY_MAX = 64,                /* bytes of a key or id */
};

/* Parses text[0..len) (a YAML document; name is only used in messages and
 * may be NULL) into *out, whose strings and arrays all come from arena a.
 * Returns 0 on success.  Otherwise returns ERR_INVALID when the text is
 * not YAML or breaks a rule of the format, ERR_TOO_LARGE when len exceeds
 * MODEL_TEXT_MAX, or ERR_NOMEM; ei (cleared first) then holds a summary
 * ("3 problems") and one detail per problem: field is a path such as
 * "functions[2].indicators[0].level" ("" for the document itself), line
 * and column are 1-based (0 when unknown).  Every problem found is
 * reported, not just the first; problems beyond ei's capacity are counted
 * in ei->dropped_details.  *out is unspecified after a failure. */
int model_load(const char *name, const char *text, size_t len,
	       struct arena *a, struct model *out, struct errinfo *ei);

#endif
