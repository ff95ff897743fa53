/* models.h: imported maturity models, one immutable row per id and version. */
#ifndef CXM_STORE_MODELS_H
#define CXM_STORE_MODELS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* Strings live in the arena passed to the call that filled the struct. */
struct stored_model {
	const char *id, *version, *title;
	int64_t nfunctions, nindicators;
	const char *imported_at;
	const char *content;         /* the file as imported (get only) */
	const char *sha256;          /* hex of content (get only) */
};

/* Inserts m (imported_at is set here when NULL).  ERR_CONFLICT when the
 * id and version are already stored. */
int store_model_insert(struct store_conn *c, const struct stored_model *m,
		       struct errinfo *ei);

/* Loads model id at version into m, content and sha256 included;
 * ERR_NOTFOUND when missing. */
int store_model_get(struct store_conn *c, struct arena *a, const char *id,
		    const char *version, struct stored_model *m,
		    struct errinfo *ei);

/* Every stored model version without its content, by id then import
 * time. */
int store_model_list(struct store_conn *c, struct arena *a,
		     struct stored_model **out, size_t *n, struct errinfo *ei);

/* Loads model id at version, or at its highest version (by
 * MAJOR.MINOR.PATCH) when version is NULL; ERR_NOTFOUND with a message
 * naming what is missing. */
int store_model_find(struct store_conn *c, struct arena *a, const char *id,
		     const char *version, struct stored_model *m,
		     struct errinfo *ei);

#endif
