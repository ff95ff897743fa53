/* form.c: URL-encoded form parsing.
 * Written by hand: libmicrohttpd's post processor is callback-driven and
 * cannot parse a body we have already buffered, and the format is small. */
#include "form.h"

#include "url.h"

#include <string.h>

int form_parse(struct arena *a, const char *data, size_t len,
	       struct form *f, struct errinfo *ei)
{
	size_t i = 0;

	f->n = 0;
	while (i < len) {
		const char *pair = data + i, *amp, *eq;
		size_t plen, nlen;
		char *name, *value;
		int rc;

		amp = memchr(pair, '&', len - i);
		plen = amp ? (size_t)(amp - pair) : len - i;
		i += plen + 1;
		if (plen == 0)
			continue;
		eq = memchr(pair, '=', plen);
		nlen = eq ? (size_t)(eq - pair) : plen;
		if (nlen == 0)
			return errinfo_set(ei, ERR_MALFORMED,
					   "form field without a name");
		if (f->n >= FORM_FIELDS_MAX)
			return errinfo_set(ei, ERR_TOO_LARGE,
				"more than %d form fields", FORM_FIELDS_MAX);
		rc = url_decode(a, pair, nlen, true, &name);
		if (rc == 0 && strlen(name) > FORM_NAME_MAX)
			rc = ERR_MALFORMED;
		if (rc)
			return errinfo_set(ei, rc == ERR_NOMEM ? ERR_NOMEM :
					   ERR_MALFORMED,
					   "form field %zu has a malformed name",
					   f->n + 1);
		rc = url_decode(a, eq ? eq + 1 : "", eq ? plen - nlen - 1 : 0,
				true, &value);
		if (rc)
			return errinfo_set(ei, rc == ERR_NOMEM ? ERR_NOMEM :
					   ERR_MALFORMED,
					   "form field '%.64s' is not valid text",
					   name);
		f->f[f->n].name = name;
		f->f[f->n].value = value;
		f->n++;
	}
	return 0;
}

const char *form_get(const struct form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			return f->f[i].value;
	return NULL;
}

size_t form_get_all(const struct form *f, const char *name,
		    const char **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < f->n && n < max; i++)
		if (strcmp(f->f[i].name, name) == 0)
			out[n++] = f->f[i].value;
	return n;
}
