/* render.c: the JSON shapes of the API's objects. */
#include "render.h"

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
