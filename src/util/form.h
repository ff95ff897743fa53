/* form.h: parsing application/x-www-form-urlencoded bodies and query strings. */
#ifndef CXM_FORM_H
#define CXM_FORM_H

#include <stddef.h>

#include "arena.h"
#include "err.h"

enum { FORM_FIELDS_MAX = 256, FORM_NAME_MAX = 128 };

/* Decoded name/value pairs in body order; names may repeat (check boxes). */
struct form {
	size_t n;
	struct { const char *name, *value; } f[FORM_FIELDS_MAX];
};

/* Parses data[0..len) into f with strings in arena a.  Refuses (with
 * ERR_MALFORMED and a message naming the field) bad percent escapes,
 * encoded NULs, invalid UTF-8, names longer than FORM_NAME_MAX, and more
 * than FORM_FIELDS_MAX fields (ERR_TOO_LARGE).  Empty pairs are skipped;
 * "name" without "=" has the value "". */
int form_parse(struct arena *a, const char *data, size_t len,
	       struct form *f, struct errinfo *ei);

/* The first value of name; NULL when absent. */
const char *form_get(const struct form *f, const char *name);

/* Fills out with up to max values of name (in order); returns the count. */
size_t form_get_all(const struct form *f, const char *name,
		    const char **out, size_t max);

#endif
