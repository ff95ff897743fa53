/* fuzz-form.c: URL-encoded form parsing never crashes, leaks or returns invalid text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/form.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct form *f = malloc(sizeof *f);
	struct errinfo ei;
	const char *vals[8];
	size_t i, n;
	int rc;

	if (!f)
		return 0;
	/* A generous arena, then one too small for most inputs. */
	for (int pass = 0; pass < 2; pass++) {
		arena_init(&a, pass ? 64 : 1 << 20);
		errinfo_clear(&ei);
		rc = form_parse(&a, (const char *)data, size, f, &ei);
		if (rc == 0) {
			if (f->n > FORM_FIELDS_MAX)
				__builtin_trap();
			for (i = 0; i < f->n; i++) {
				const char *k = f->f[i].name, *v = f->f[i].value;
				if (!k || !v || !*k || strlen(k) > FORM_NAME_MAX)
					__builtin_trap();
				if (!utf8_valid(k, strlen(k)) ||
				    !utf8_valid(v, strlen(v)))
					__builtin_trap();
				if (form_get(f, k) == NULL)
					__builtin_trap();
			}
			if (f->n) {
				n = form_get_all(f, f->f[0].name, vals, 8);
				if (n < 1 || n > 8)
					__builtin_trap();
			}
		} else if (rc != ERR_MALFORMED && rc != ERR_TOO_LARGE &&
			   rc != ERR_NOMEM) {
			__builtin_trap();
		}
		if (rc && !utf8_valid(ei.message, strlen(ei.message)))
			__builtin_trap();
		arena_release(&a);
	}
	free(f);
	return 0;
}
