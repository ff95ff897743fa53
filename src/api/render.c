/* render.c: the JSON shapes of the API's objects. */
#include "render.h"

static const char *const PHASES[] = { "ready", "set", "grow" };

json_t *render_org(const struct org *o)
{
	return json_pack("{s:I, s:o, s:s, s:s, s:s, s:I, s:I, s:s, s:s}",
			 "id", (json_int_t)o->id,
			 "parent_id", o->parent_id ? json_integer(o->parent_id)
						   : json_null(),
			 "name", o->name, "short_name", o->short_name,
			 "kind", o->kind,
			 "services", (json_int_t)o->nservices,
			 "children", (json_int_t)o->nchildren,
			 "created_at", o->created_at,
			 "updated_at", o->updated_at);
}

json_t *render_service(const struct service *s)
{
	json_t *channels = json_loads(s->channels, 0, NULL);

	if (!json_is_array(channels)) {
		json_decref(channels);
		channels = json_array();
	}
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:b, s:o, s:s, s:s}",
			 "id", (json_int_t)s->id,
			 "org_id", (json_int_t)s->org_id,
			 "org_name", s->org_name, "name", s->name,
			 "description", s->description,
			 "channels", channels, "hisp", s->hisp,
			 "annual_customers", s->annual_customers >= 0
				? json_integer(s->annual_customers) : json_null(),
			 "created_at", s->created_at,
			 "updated_at", s->updated_at);
}

json_t *render_audit(const struct audit_entry *e)
{
	json_t *changes = json_loads(e->changes, 0, NULL);

	if (!changes)
		changes = json_object();
	return json_pack("{s:I, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:s}",
			 "id", (json_int_t)e->id, "at", e->at,
			 "actor_id", e->actor_id ? json_integer(e->actor_id)
						 : json_null(),
			 "actor", e->actor, "via", e->via,
			 "action", e->action, "object_type", e->object_type,
			 "object_id", e->object_id ? json_integer(e->object_id)
						   : json_null(),
			 "changes", changes, "client", e->client);
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *render_model(const struct model *m)
{
	json_t *root = json_object(), *levels = json_array(),
	       *scales = json_array(), *functions = json_array(), *arr;
	static const char *const METHODS[] = { "gated", "average" };
	static const char *const OVERALL[] = { "min", "mean", "median" };
	size_t i, j, k;
	int l;

	if (!root || !levels || !scales || !functions) {
		json_decref(root);
		json_decref(levels);
		json_decref(scales);
		json_decref(functions);
		return NULL;
	}
	json_object_set_new(root, "id", json_string(m->id));
	json_object_set_new(root, "version", json_string(m->version));
	json_object_set_new(root, "title", json_string(m->title));
	json_object_set_new(root, "description", text_or_null(m->description));
	json_object_set_new(root, "source", text_or_null(m->source));
	json_object_set_new(root, "license", text_or_null(m->license));
	for (l = 0; l < m->nlevels; l++) {
		const struct model_level *lv = &m->levels[l];
		json_t *cw = json_object();

		for (k = 0; cw && k < m->ncrosswalk; k++)
			if (m->crosswalk[k].level == lv->n)
				json_object_set_new(cw, m->crosswalk[k].system,
						    json_string(m->crosswalk[k].value));
		json_array_append_new(levels,
			json_pack("{s:i, s:s, s:s, s:s, s:o}", "n", lv->n,
				  "key", lv->key, "name", lv->name,
				  "summary", lv->summary,
				  "crosswalk", cw ? cw : json_object()));
	}
	json_object_set_new(root, "levels", levels);
	for (i = 0; i < m->nscales; i++) {
		const struct model_scale *sc = &m->scales[i];

		arr = json_array();
		for (j = 0; arr && j < sc->noptions; j++)
			json_array_append_new(arr,
				json_pack("{s:s, s:s, s:f}",
					  "value", sc->options[j].value,
					  "label", sc->options[j].label,
					  "weight", sc->options[j].weight));
		json_array_append_new(scales,
			json_pack("{s:s, s:o}", "key", sc->key,
				  "options", arr ? arr : json_array()));
	}
	json_object_set_new(root, "scales", scales);
	for (i = 0; i < m->nfunctions; i++) {
		const struct model_function *f = &m->functions[i];
		json_t *fn, *descs = json_array(), *inds = json_array(),
		       *tacs = json_array();

		for (l = 0; descs && l < m->nlevels; l++)
			json_array_append_new(descs,
				text_or_null(f->level_descriptions ?
					     f->level_descriptions[l] : NULL));
		for (j = 0; inds && j < f->nindicators; j++) {
			const struct model_indicator *in = &f->indicators[j];

			json_array_append_new(inds,
				json_pack("{s:s, s:i, s:s, s:o, s:o, s:o}",
					  "key", in->key, "level", in->level,
					  "text", in->text,
					  "help", text_or_null(in->help),
					  "evidence_hint",
					  text_or_null(in->evidence_hint),
					  "scale", text_or_null(in->scale ?
							in->scale->key : NULL)));
		}
		for (j = 0; tacs && j < f->ntactics; j++) {
			const struct model_tactic *t = &f->tactics[j];

			arr = json_array();
			for (k = 0; arr && k < t->nresources; k++)
				json_array_append_new(arr,
					json_string(t->resources[k]));
			json_array_append_new(tacs,
				json_pack("{s:i, s:i, s:s, s:s, s:o}",
					  "from_level", t->from_level,
					  "to_level", t->to_level,
					  "phase", PHASES[t->phase],
					  "text", t->text,
					  "resources", arr ? arr : json_array()));
		}
		fn = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}",
			       "key", f->key, "name", f->name,
			       "summary", f->summary,
			       "level_descriptions", descs ? descs : json_array(),
			       "default_target",
			       f->default_target ? json_integer(f->default_target)
						 : json_null(),
			       "indicators", inds ? inds : json_array(),
			       "tactics", tacs ? tacs : json_array());
		json_array_append_new(functions, fn);
	}
	json_object_set_new(root, "functions", functions);
	json_object_set_new(root, "scoring",
		json_pack("{s:s, s:f, s:s}", "method", METHODS[m->method],
			  "threshold", m->threshold,
			  "overall", OVERALL[m->overall]));
	return root;
}

