/* ops.c: validated, audited, all-or-nothing changes shared by UI, API and CLI. */
#include "ops.h"

#include "core/model-load.h"
#include "store/audit.h"
#include "store/models.h"
#include "util/clock.h"
#include "util/secret.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

enum { EVENT_PAYLOAD_MAX = 7900 };  /* PostgreSQL NOTIFY takes 8000 */

/* Tells live streams about the change once it commits: the audit entry as
 * JSON, with the changed fields left out when they would not fit. */
static int raise_event(struct store_conn *c, const struct audit_entry *e,
		       json_t *changes, struct errinfo *ei)
{
	char at[32];
	json_t *ev;
	char *text;
	int rc;

	clock_iso8601(at, sizeof at);
	ev = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:O}",
		       "id", (json_int_t)e->id, "at", at, "actor", e->actor,
		       "via", e->via, "action", e->action,
		       "object_type", e->object_type,
		       "object_id", (json_int_t)e->object_id, "changes", changes);
	text = ev ? json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (text && strlen(text) > EVENT_PAYLOAD_MAX) {
		free(text);
		json_object_set_new(ev, "changes", json_pack("{s:b}", "truncated", 1));
		text = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
	}
	json_decref(ev);
	if (!text)
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	rc = store_event(c, "audit", text, ei);
	free(text);
	return rc;
}

/* Appends the audit entry for a change; takes the reference to changes. */
static int audit(struct store_conn *c, const struct actor *who,
		 const char *action, const char *type, int64_t id,
		 json_t *changes, struct errinfo *ei)
{
	struct audit_entry e = {
		.actor_id = who->user_id, .actor = who->label, .via = who->via,
		.action = action, .object_type = type, .object_id = id,
		.client = who->client,
	};
	char *text;
	int rc;

	if (!changes)
		changes = json_object();
	if (!changes)
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	if (who->token_id)
		json_object_set_new(changes, "token_id",
				    json_integer(who->token_id));
	text = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text) {
		json_decref(changes);
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	}
	e.changes = text;
	rc = store_audit_insert(c, &e, ei);
	if (!rc)
		rc = raise_event(c, &e, changes, ei);
	json_decref(changes);
	free(text);
	return rc;
}

/* Ends a transaction: commit when rc is 0, roll back otherwise. */
static int finish(struct store_conn *c, int rc, struct errinfo *ei)
{
	if (rc) {
		store_tx_rollback(c);
		return rc;
	}
	return store_tx_commit(c, ei);
}

static json_t *org_json(const struct org_input *in)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "name", in->name,
			 "short_name", in->short_name ? in->short_name : "",
			 "kind", in->kind,
			 "parent_id", in->parent_id ? json_integer(in->parent_id)
						    : json_null());
}

int ops_org_create(struct store_conn *c, const struct actor *who,
		   const struct org_input *in, int64_t *id, struct errinfo *ei)
{
	struct org o = { .parent_id = in->parent_id, .name = in->name,
			 .short_name = in->short_name, .kind = in->kind };
	int rc = entity_org_check(in, ei);

	if (rc || (rc = store_tx_begin(c, ei)))
		return rc;
	rc = store_org_insert(c, &o, ei);
	if (!rc)
		rc = audit(c, who, "create", "org", o.id, org_json(in), ei);
	rc = finish(c, rc, ei);
	if (!rc && id)
		*id = o.id;
	return rc;
}

int ops_org_update(struct store_conn *c, const struct actor *who, int64_t id,
		   const struct org_input *in, struct errinfo *ei)
{
	struct org o = { .id = id, .parent_id = in->parent_id,
			 .name = in->name, .short_name = in->short_name,
			 .kind = in->kind };
	int rc = entity_org_check(in, ei);

	if (rc || (rc = store_tx_begin(c, ei)))
		return rc;
	rc = store_org_update(c, &o, ei);
	if (rc == ERR_NOTFOUND)
		errinfo_set(ei, rc, "no organization %lld", (long long)id);
	if (!rc)
		rc = audit(c, who, "update", "org", id, org_json(in), ei);
	return finish(c, rc, ei);
}

int ops_org_delete(struct store_conn *c, const struct actor *who, int64_t id,
		   struct errinfo *ei)
{
	int rc = store_tx_begin(c, ei);

	if (rc)
		return rc;
	rc = store_org_delete(c, id, ei);
	if (!rc)
		rc = audit(c, who, "delete", "org", id, NULL, ei);
	return finish(c, rc, ei);
}

/* The channel keys as the JSON array text stored with a service. */
static char *channels_text(const struct service_input *in)
{
	json_t *a = json_array();
	char *text;
	size_t i;

	for (i = 0; a && i < in->nchannels; i++)
		json_array_append_new(a, json_string(in->channels[i]));
	text = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return text;
}

static json_t *service_json(const struct service_input *in,
			    const char *channels)
{
	return json_pack("{s:s, s:s, s:I, s:o, s:b, s:o}", "name", in->name,
			 "description", in->description ? in->description : "",
			 "org_id", (json_int_t)in->org_id,
			 "channels", json_loads(channels, 0, NULL),
			 "hisp", in->hisp,
			 "annual_customers", in->annual_customers >= 0
				? json_integer(in->annual_customers)
				: json_null());
}

static int service_write(struct store_conn *c, const struct actor *who,
			 int64_t id, const struct service_input *in,
			 int64_t *out_id, struct errinfo *ei)
{
	struct service s = { .id = id, .org_id = in->org_id, .name = in->name,
			     .description = in->description, .hisp = in->hisp,
			     .annual_customers = in->annual_customers };
	char *channels;
	int rc = entity_service_check(in, ei);

	if (rc)
		return rc;
	channels = channels_text(in);
	if (!channels)
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	s.channels = channels;
	rc = store_tx_begin(c, ei);
	if (!rc) {
		rc = id ? store_service_update(c, &s, ei)
			: store_service_insert(c, &s, ei);
		if (!rc)
			rc = audit(c, who, id ? "update" : "create", "service",
				   s.id, service_json(in, channels), ei);
		rc = finish(c, rc, ei);
	}
	free(channels);
	if (!rc && out_id)
		*out_id = s.id;
	return rc;
}

int ops_service_create(struct store_conn *c, const struct actor *who,
		       const struct service_input *in, int64_t *id,
		       struct errinfo *ei)
{
	return service_write(c, who, 0, in, id, ei);
}

int ops_service_update(struct store_conn *c, const struct actor *who,
		       int64_t id, const struct service_input *in,
		       struct errinfo *ei)
{
	return service_write(c, who, id, in, NULL, ei);
}

int ops_service_delete(struct store_conn *c, const struct actor *who,
		       int64_t id, struct errinfo *ei)
{
	int rc = store_tx_begin(c, ei);

	if (rc)
		return rc;
	rc = store_service_delete(c, id, ei);
	if (!rc)
		rc = audit(c, who, "delete", "service", id, NULL, ei);
	return finish(c, rc, ei);
}

int ops_user_create(struct store_conn *c, const struct actor *who,
		    const char *email, const char *name, const char *password,
		    bool is_admin, int64_t *id, struct errinfo *ei)
{
	char norm[ENTITY_EMAIL_MAX + 1], hash[SECRET_PWHASH_TEXT];
	const char *problem = secret_password_problem(password);
	struct user u = { 0 };
	bool bad = false;
	int rc;

	if (!entity_email_normalize(email, norm, sizeof norm)) {
		errinfo_add(ei, "email", 0, 0, "must be an email address");
		bad = true;
	}
	if (!entity_text_ok(name, "name", true, ENTITY_NAME_MAX, ei))
		bad = true;
	if (problem) {
		errinfo_add(ei, "password", 0, 0, "%s", problem);
		bad = true;
	}
	if (bad)
		return errinfo_set(ei, ERR_INVALID, "the user has invalid fields");
	if (secret_password_hash(password, hash))
		return errinfo_set(ei, ERR_NOMEM, "out of memory hashing");
	u.email = norm;
	u.name = name;
	u.password_hash = hash;
	u.is_admin = is_admin;
	rc = store_tx_begin(c, ei);
	if (rc)
		return rc;
	rc = store_user_insert(c, &u, ei);
	if (!rc)
		rc = audit(c, who, "create", "user", u.id,
			   json_pack("{s:s, s:s, s:b}", "email", norm,
				     "name", name, "admin", is_admin), ei);
	rc = finish(c, rc, ei);
	if (!rc && id)
		*id = u.id;
	return rc;
}

int ops_user_set_password(struct store_conn *c, const struct actor *who,
			  int64_t user_id, const char *password,
			  struct errinfo *ei)
{
	char hash[SECRET_PWHASH_TEXT];
	const char *problem = secret_password_problem(password);
	int rc;

	if (problem) {
		errinfo_add(ei, "password", 0, 0, "%s", problem);
		return errinfo_set(ei, ERR_INVALID, "%s", problem);
	}
	if (secret_password_hash(password, hash))
		return errinfo_set(ei, ERR_NOMEM, "out of memory hashing");
	rc = store_tx_begin(c, ei);
	if (rc)
		return rc;
	rc = store_user_set_password(c, user_id, hash, ei);
	if (rc == ERR_NOTFOUND)
		errinfo_set(ei, rc, "no such user");
	if (!rc)
		rc = store_session_delete_user(c, user_id, ei);
	if (!rc)
		rc = audit(c, who, "password", "user", user_id, NULL, ei);
	return finish(c, rc, ei);
}

int ops_user_set_admin(struct store_conn *c, const struct actor *who,
		       int64_t user_id, bool is_admin, struct errinfo *ei)
{
	int rc = store_tx_begin(c, ei);

	if (rc)
		return rc;
	rc = store_user_set_admin(c, user_id, is_admin, ei);
	if (rc == ERR_NOTFOUND)
		errinfo_set(ei, rc, "no such user");
	if (!rc)
		rc = audit(c, who, "role-change", "user", user_id,
			   json_pack("{s:b}", "admin", is_admin), ei);
	return finish(c, rc, ei);
}

int ops_grant_set(struct store_conn *c, const struct actor *who,
		  int64_t user_id, int64_t org_id, enum role role,
		  struct errinfo *ei)
{
	int rc;

	if (!role_is_grant(role)) {
		errinfo_add(ei, "role", 0, 0,
			    "must be viewer, facilitator or analyst");
		return errinfo_set(ei, ERR_INVALID, "unknown role");
	}
	rc = store_tx_begin(c, ei);
	if (rc)
		return rc;
	rc = store_grant_set(c, user_id, org_id, role, ei);
	if (!rc)
		rc = audit(c, who, "role-change", "grant", user_id,
			   json_pack("{s:I, s:s}", "org_id", (json_int_t)org_id,
				     "role", role_name(role)), ei);
	return finish(c, rc, ei);
}

int ops_grant_delete(struct store_conn *c, const struct actor *who,
		     int64_t user_id, int64_t org_id, struct errinfo *ei)
{
	int rc = store_tx_begin(c, ei);

	if (rc)
		return rc;
	rc = store_grant_delete(c, user_id, org_id, ei);
	if (!rc)
		rc = audit(c, who, "role-change", "grant", user_id,
			   json_pack("{s:I, s:n}", "org_id", (json_int_t)org_id,
				     "role"), ei);
	return finish(c, rc, ei);
}

int ops_token_create(struct store_conn *c, const struct actor *who,
		     int64_t user_id, const char *name, int64_t days,
		     char *out, size_t cap, int64_t *id, struct errinfo *ei)
{
	char hash[SECRET_HASH_TEXT];
	int64_t now = clock_unix(), tid = 0;
	int rc;

	if (!entity_text_ok(name, "name", true, ENTITY_TOKEN_NAME_MAX, ei))
		return errinfo_set(ei, ERR_INVALID, "the token needs a name");
	if (days < 0 || days > 3650) {
		errinfo_add(ei, "expires", 0, 0,
			    "must be 0 (no expiry) to 3650 days");
		return errinfo_set(ei, ERR_INVALID, "bad expiry");
	}
	secret_api_token(out, cap);
	secret_token_hash(out, hash);
	rc = store_tx_begin(c, ei);
	if (rc)
		return rc;
	rc = store_token_insert(c, user_id, name, hash, now,
				days ? now + days * 86400 : 0, &tid, ei);
	if (!rc)
		rc = audit(c, who, "create", "token", tid,
			   json_pack("{s:s, s:I, s:I}", "name", name,
				     "user_id", (json_int_t)user_id,
				     "expires_days", (json_int_t)days), ei);
	rc = finish(c, rc, ei);
	if (rc)
		memset(out, 0, cap);
	else if (id)
		*id = tid;
	return rc;
}

int ops_token_revoke(struct store_conn *c, const struct actor *who,
		     int64_t id, int64_t only_user, struct errinfo *ei)
{
	int rc = store_tx_begin(c, ei);

	if (rc)
		return rc;
	rc = store_token_revoke(c, id, only_user, clock_unix(), ei);
	if (!rc)
		rc = audit(c, who, "revoke", "token", id, NULL, ei);
	return finish(c, rc, ei);
}

int ops_model_import(struct store_conn *c, const struct actor *who,
		     const char *name, const char *text, size_t len,
		     struct arena *a, const char **id, const char **version,
		     bool *already, struct errinfo *ei)
{
	struct stored_model sm = { 0 }, old;
	char sha[SECRET_HASH_TEXT];
	struct model m;
	char *content;
	size_t i;
	int rc;

	*already = false;
	rc = model_load(name, text, len, a, &m, ei);
	if (rc)
		return rc;
	/* Stored as text: a NUL byte would cut it short. */
	if (memchr(text, '\0', len)) {
		errinfo_add(ei, "", 0, 0, "the file contains a NUL byte");
		return errinfo_set(ei, ERR_INVALID, "the file contains a NUL byte");
	}
	content = arena_alloc(a, len + 1);
	if (!content)
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	memcpy(content, text, len);
	content[len] = '\0';
	secret_sha256_hex(text, len, sha);
	sm.id = m.id;
	sm.version = m.version;
	sm.title = m.title;
	sm.content = content;
	sm.sha256 = sha;
	sm.nfunctions = (int64_t)m.nfunctions;
	for (i = 0; i < m.nfunctions; i++)
		sm.nindicators += (int64_t)m.functions[i].nindicators;
	*id = m.id;
	*version = m.version;

	rc = store_tx_begin(c, ei);
	if (rc)
		return rc;
	rc = store_model_get(c, a, m.id, m.version, &old, ei);
	if (rc == 0) {
		if (strcmp(old.sha256, sha) == 0)
			*already = true;
		else
			rc = errinfo_set(ei, ERR_CONFLICT,
				"model %.64s version %.64s exists with different "
				"content; give it a new version", m.id, m.version);
	} else if (rc == ERR_NOTFOUND) {
		errinfo_clear(ei);
		rc = store_model_insert(c, &sm, ei);
		if (!rc)
			rc = audit(c, who, "import", "model", 0,
				   json_pack("{s:s, s:s, s:s}", "id", m.id,
					     "version", m.version,
					     "sha256", sha), ei);
	}
	return finish(c, rc, ei);
}

int ops_audit_event(struct store_conn *c, const struct actor *who,
		    const char *action, const char *object_type,
		    int64_t object_id, struct errinfo *ei)
{
	return audit(c, who, action, object_type, object_id, NULL, ei);
}
