/* fuzz-model.c: the model loader never crashes, leaks or loops; a loaded
 * model keeps its invariants and a refused one explains itself in UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/model-load.h"
#include "util/arena.h"
#include "util/utf8.h"

static void check_model(const struct model *m)
{
	size_t i, j, k;

	if (!m->id || !m->version || !m->title)
		__builtin_trap();
	if (m->nlevels < 2 || m->nlevels > MODEL_LEVELS_MAX)
		__builtin_trap();
	for (i = 0; i < (size_t)m->nlevels; i++)
		if (m->levels[i].n != (int)i + 1 || !m->levels[i].key)
			__builtin_trap();
	for (i = 0; i < m->nscales; i++) {
		if (!m->scales[i].key || m->scales[i].noptions < 1)
			__builtin_trap();
		for (j = 0; j < m->scales[i].noptions; j++) {
			double w = m->scales[i].options[j].weight;
			if (!(w >= 0 && w <= 1))
				__builtin_trap();
		}
	}
	if (!(m->threshold >= 0 && m->threshold <= 1))
		__builtin_trap();
	for (i = 0; i < m->nfunctions; i++) {
		const struct model_function *f = &m->functions[i];
		if (!f->key || !f->level_descriptions)
			__builtin_trap();
		for (j = 0; j < (size_t)m->nlevels; j++)
			if (!f->level_descriptions[j] ||
			    !utf8_valid(f->level_descriptions[j],
					strlen(f->level_descriptions[j])))
				__builtin_trap();
		if (f->default_target < 0 || f->default_target > m->nlevels)
			__builtin_trap();
		for (j = 0; j < f->nindicators; j++) {
			const struct model_indicator *in = &f->indicators[j];
			if (in->level < 2 || in->level > m->nlevels || !in->scale ||
			    !in->key || !in->text)
				__builtin_trap();
		}
		for (j = 0; j < f->ntactics; j++) {
			const struct model_tactic *t = &f->tactics[j];
			if (t->from_level < 1 || t->to_level != t->from_level + 1 ||
			    t->to_level > m->nlevels || !t->text)
				__builtin_trap();
			for (k = 0; k < t->nresources; k++)
				if (!t->resources[k])
					__builtin_trap();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errinfo *ei = malloc(sizeof *ei);
	struct arena a;
	struct model m;
	size_t i;
	int rc;

	if (!ei)
		return 0;
	/* A generous arena, then one too small for most models. */
	for (int pass = 0; pass < 2; pass++) {
		arena_init(&a, pass ? 2048 : 16u << 20);
		rc = model_load("fuzz", (const char *)data, size, &a, &m, ei);
		if (rc == 0) {
			check_model(&m);
		} else {
			if (rc != ERR_INVALID && rc != ERR_NOMEM &&
			    rc != ERR_TOO_LARGE)
				__builtin_trap();
			if (ei->ndetails < 1 || ei->code != rc)
				__builtin_trap();
			if (!utf8_valid(ei->message, strlen(ei->message)))
				__builtin_trap();
			for (i = 0; i < ei->ndetails; i++) {
				const struct errdetail *d = &ei->details[i];
				if (!utf8_valid(d->message, strlen(d->message)) ||
				    !utf8_valid(d->field, strlen(d->field)) ||
				    !d->message[0] || d->line < 0 || d->column < 0)
					__builtin_trap();
			}
		}
		arena_release(&a);
	}
	free(ei);
	return 0;
}
