/* page-services.c: services: list, create, view, edit, delete. */
#include "pages.h"

#include "core/entity.h"
#include "http/auth.h"
#include "ops/ops.h"
#include "store/accounts.h"
#include "ui/layout.h"
#include "ui/widgets.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ui_label LABELS[] = {
	{ "org_id", "Organization that delivers it" }, { "name", "Name" },
	{ "description", "Description" }, { "channels", "Channels" },
	{ "annual_customers", "Estimated customers a year" }, { NULL, NULL },
};

/* Reads the service form; records a detail for each unusable field. */
static void read_form(struct req *r, struct service_input *in)
{
	const char *org = form_get(r->form, "org_id");
	const char *customers = form_get(r->form, "annual_customers");
	char *end;

	memset(in, 0, sizeof *in);
	in->name = form_get(r->form, "name");
	in->description = form_get(r->form, "description");
	in->hisp = form_get(r->form, "hisp") != NULL;
	in->nchannels = form_get_all(r->form, "channels", in->channels,
				     ENTITY_CHANNELS_MAX);
	in->org_id = org && *org ? strtoll(org, &end, 10) : 0;
	if (org && *org && (*end || in->org_id <= 0)) {
		errinfo_add(&r->err, "org_id", 0, 0, "must be chosen from the list");
		in->org_id = 0;
	}
	in->annual_customers = -1;
	if (customers && *customers) {
		in->annual_customers = strtoll(customers, &end, 10);
		if (*end || in->annual_customers < 0) {
			errinfo_add(&r->err, "annual_customers", 0, 0,
				    "must be a whole number, 0 or more");
			in->annual_customers = -1;
		}
	}
}

/* Channel keys of a stored service into in. */
static void stored_channels(struct req *r, const char *text,
			    struct service_input *in)
{
	json_t *arr = json_loads(text, 0, NULL), *v;
	size_t i;

	in->nchannels = 0;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && in->nchannels < ENTITY_CHANNELS_MAX)
			in->channels[in->nchannels++] =
				arena_strdup(&r->arena, json_string_value(v));
	json_decref(arr);
}

static bool has_channel(const struct service_input *in, const char *key)
{
	size_t i;

	for (i = 0; i < in->nchannels; i++)
		if (in->channels[i] && strcmp(in->channels[i], key) == 0)
			return true;
	return false;
}

static void service_fields(struct html *h, struct req *r,
			   const struct service_input *in, struct org *orgs,
			   size_t n)
{
	const char **values = arena_calloc(&r->arena, n + 1, sizeof *values);
	const char **labels = arena_calloc(&r->arena, n + 1, sizeof *labels);
	const struct entity_channel *c;
	const char *err;
	char id[48];
	size_t i, k = 0;

	for (i = 0; values && labels && i < n; i++) {
		if (!auth_allows(r, orgs[i].id, ROLE_FACILITATOR))
			continue;
		values[k] = arena_printf(&r->arena, "%lld", (long long)orgs[i].id);
		labels[k++] = arena_printf(&r->arena, "%*s%s", orgs[i].depth * 2,
					   "", orgs[i].name);
	}
	ui_select(h, &(struct ui_field){ .name = "org_id",
		  .label = "Organization that delivers it",
		  .value = in->org_id ? arena_printf(&r->arena, "%lld",
						     (long long)in->org_id) : NULL,
		  .required = true }, values, labels, k, "- Select -", &r->err);
	ui_input(h, &(struct ui_field){ .name = "name", .label = "Name",
		 .value = in->name, .required = true,
		 .hint = "As the public knows it, such as 'Renew a passport'.",
		 .maxlength = ENTITY_NAME_MAX }, &r->err);
	ui_textarea(h, &(struct ui_field){ .name = "description",
		    .label = "Description", .value = in->description,
		    .maxlength = ENTITY_DESCRIPTION_MAX }, &r->err);

	err = ui_field_error(&r->err, "channels");
	/* The error summary links to the fieldset, so it can take focus. */
	html_open(h, EL_FIELDSET, ATTR_CLASS, "usa-fieldset", ATTR_ID,
		  "f-channels", ATTR_TABINDEX, "-1",
		  ATTR_ARIA_DESCRIBEDBY, err ? "f-channels-error" : NULL,
		  ATTR__END);
	html_elem(h, EL_LEGEND, "Channels", ATTR_CLASS, "usa-legend", ATTR__END);
	if (err)
		html_elem(h, EL_SPAN, err, ATTR_CLASS, "usa-error-message",
			  ATTR_ID, "f-channels-error", ATTR_ROLE, "alert", ATTR__END);
	for (c = entity_channels; c->key; c++) {
		snprintf(id, sizeof id, "channel-%s", c->key);
		ui_checkbox(h, id, "channels", c->key, c->label,
			    has_channel(in, c->key));
	}
	html_close(h);

	html_open(h, EL_FIELDSET, ATTR_CLASS, "usa-fieldset", ATTR__END);
	html_elem(h, EL_LEGEND, "Designation", ATTR_CLASS, "usa-legend", ATTR__END);
	ui_checkbox(h, "f-hisp", "hisp", "1",
		    "Delivered by a High Impact Service Provider (A-11 Section 280)",
		    in->hisp);
	html_close(h);
	ui_input(h, &(struct ui_field){ .name = "annual_customers",
		 .label = "Estimated customers a year", .type = "number",
		 .value = in->annual_customers >= 0
			? arena_printf(&r->arena, "%lld", (long long)in->annual_customers)
			: NULL,
		 .hint = "Leave empty when not known.", .maxlength = 11 },
		 &r->err);
}

static const char *channel_labels(struct req *r, const char *json_text)
{
	struct service_input tmp;
	struct buf b;
	const char *out;
	size_t i;

	stored_channels(r, json_text, &tmp);
	buf_init(&b, 4096);
	for (i = 0; i < tmp.nchannels; i++) {
		const char *label = entity_channel_label(tmp.channels[i]);
		if (i)
			buf_puts(&b, ", ");
		buf_puts(&b, label ? label : tmp.channels[i]);
	}
	out = arena_strdup(&r->arena, tmp.nchannels ? buf_str(&b) : "None given");
	buf_release(&b);
	return out ? out : "";
}

static int render_list(struct req *r, struct resp *w, int status,
		       const struct service_input *in)
{
	struct html h;
	struct layout l = { .title = "Services", .current = NAV_SERVICES, .r = r };
	int64_t uid = r->user->is_admin ? 0 : r->user->id;
	struct service *s;
	struct org *orgs;
	size_t n, norgs, i;
	const char *done = req_query(r, "done");
	struct errinfo lerr;
	char href[40];
	int rc;

	errinfo_clear(&lerr);
	rc = store_service_list(req_db(r), &r->arena, 0, uid, &s, &n, &lerr);
	if (!rc)
		rc = store_org_list(req_db(r), &r->arena, uid, &orgs, &norgs,
				    &lerr);
	if (rc)
		return rc;
	html_init(&h, &w->body);
	layout_begin(&h, &l);
	html_elem(&h, EL_H1, "Services", ATTR__END);
	if (done && strcmp(done, "deleted") == 0)
		ui_alert(&h, "success", NULL, "The service was deleted.");
	ui_error_summary(&h, &r->err, LABELS);
	if (!n) {
		html_elem(&h, EL_P, norgs ? "No services yet. Add the first "
			  "service your organization delivers with the form "
			  "below." : "No services yet. Services belong to "
			  "organizations: add an organization first.",
			  ATTR_CLASS, "usa-intro", ATTR__END);
	} else {
		ui_table_begin(&h, "usa-table", "Services by organization",
			       (const char *const[]){ "Service", "Organization", "High impact", "Channels", "Customers a year", NULL });
		for (i = 0; i < n; i++) {
			snprintf(href, sizeof href, "/services/%lld",
				 (long long)s[i].id);
			html_open(&h, EL_TR, ATTR__END);
			html_open(&h, EL_TH, ATTR_SCOPE, "row", ATTR__END);
			html_elem(&h, EL_A, s[i].name, ATTR_HREF, href,
				  ATTR_CLASS, "usa-link", ATTR__END);
			html_close(&h);
			html_elem(&h, EL_TD, s[i].org_name, ATTR__END);
			html_elem(&h, EL_TD, s[i].hisp ? "Yes" : "No", ATTR__END);
			html_elem(&h, EL_TD, channel_labels(r, s[i].channels),
				  ATTR__END);
			html_open(&h, EL_TD, ATTR__END);
			if (s[i].annual_customers >= 0)
				html_printf(&h, "%lld",
					    (long long)s[i].annual_customers);
			else
				html_text(&h, "Not known");
			html_close(&h);
			html_close(&h);
		}
		html_close(&h);
		html_close(&h);
	}
	if (norgs && auth_allows(r, 0, ROLE_FACILITATOR)) {
		ui_form_begin(&h, r, "/services", "usa-form usa-form--large", "create", "Add a service");
		service_fields(&h, r, in, orgs, norgs);
		ui_form_end(&h, "Add service");
	}
	layout_end(&h, &l);
	return layout_respond(&h, w, status);
}

int page_services(struct req *r, struct resp *w)
{
	struct service_input in = { .annual_customers = -1 };

	return render_list(r, w, 200, &in);
}

static int form_failed(struct req *r, int rc)
{
	if (rc == ERR_CONFLICT)
		errinfo_add(&r->err, "name", 0, 0, "%s", r->err.message);
	return rc == ERR_CONFLICT ? 409 : 422;
}

int page_service_create(struct req *r, struct resp *w)
{
	struct service_input in;
	struct actor who;
	int64_t id = 0;
	int rc;

	read_form(r, &in);
	auth_actor(r, &who);
	if (r->err.ndetails)
		entity_service_check(&in, &r->err);
	rc = r->err.ndetails ? req_fail(r, ERR_INVALID, "Check the fields below.")
			     : ops_service_create(req_db(r), &who, &in, &id,
						  &r->err);
	if (rc == ERR_INVALID || rc == ERR_CONFLICT)
		return render_list(r, w, form_failed(r, rc), &in);
	if (rc)
		return rc;
	return ui_redirect(r, w, arena_printf(&r->arena,
			   "/services/%lld?done=created", (long long)id));
}

static int render_service(struct req *r, struct resp *w, int status,
			  const struct service_input *edit)
{
	struct html h;
	struct layout l = { .title = "Service", .current = NAV_SERVICES, .r = r };
	int64_t id = strtoll(req_param(r, "id"), NULL, 10);
	struct service s;
	struct service_input in;
	struct org *orgs;
	size_t norgs;
	const char *done = req_query(r, "done");
	struct errinfo lerr;
	char href[48];
	int rc;

	errinfo_clear(&lerr);
	rc = store_service_get(req_db(r), &r->arena, id, &s, &lerr);
	if (!rc)
		rc = store_org_list(req_db(r), &r->arena,
				    r->user->is_admin ? 0 : r->user->id, &orgs,
				    &norgs, &lerr);
	if (rc == ERR_NOTFOUND)
		return req_fail(r, rc, "There is no such service.");
	if (rc)
		return rc;
	if (edit) {
		in = *edit;
	} else {
		in = (struct service_input){ .name = s.name,
			.description = s.description, .org_id = s.org_id,
			.hisp = s.hisp, .annual_customers = s.annual_customers };
		stored_channels(r, s.channels, &in);
	}
	l.title = s.name;
	html_init(&h, &w->body);
	layout_begin(&h, &l);
	html_open(&h, EL_P, ATTR__END);
	html_elem(&h, EL_A, "All services", ATTR_HREF, "/services", ATTR_CLASS,
		  "usa-link", ATTR__END);
	html_close(&h);
	html_elem(&h, EL_H1, s.name, ATTR__END);
	if (done && strcmp(done, "created") == 0)
		ui_alert(&h, "success", NULL, "The service was added.");
	if (done && strcmp(done, "saved") == 0)
		ui_alert(&h, "success", NULL, "Your changes were saved.");
	ui_error_summary(&h, &r->err, LABELS);
	html_open(&h, EL_DL, ATTR__END);
	html_elem(&h, EL_DT, "Organization", ATTR__END);
	html_open(&h, EL_DD, ATTR__END);
	snprintf(href, sizeof href, "/orgs/%lld", (long long)s.org_id);
	html_elem(&h, EL_A, s.org_name, ATTR_HREF, href, ATTR_CLASS, "usa-link",
		  ATTR__END);
	html_close(&h);
	html_elem(&h, EL_DT, "Description", ATTR__END);
	html_elem(&h, EL_DD, s.description[0] ? s.description : "None given",
		  ATTR__END);
	html_elem(&h, EL_DT, "Channels", ATTR__END);
	html_elem(&h, EL_DD, channel_labels(r, s.channels), ATTR__END);
	html_elem(&h, EL_DT, "High Impact Service Provider", ATTR__END);
	html_elem(&h, EL_DD, s.hisp ? "Yes" : "No", ATTR__END);
	html_elem(&h, EL_DT, "Estimated customers a year", ATTR__END);
	html_open(&h, EL_DD, ATTR__END);
	if (s.annual_customers >= 0)
		html_printf(&h, "%lld", (long long)s.annual_customers);
	else
		html_text(&h, "Not known");
	html_close(&h);
	html_close(&h);

	if (auth_allows(r, s.org_id, ROLE_FACILITATOR)) {
		snprintf(href, sizeof href, "/services/%lld", (long long)id);
		ui_form_begin(&h, r, href, "usa-form usa-form--large", NULL, "Edit this service");
		service_fields(&h, r, &in, orgs, norgs);
		ui_form_end(&h, "Save changes");
		html_elem(&h, EL_H2, "Delete", ATTR__END);
		html_elem(&h, EL_P, "This cannot be undone.", ATTR__END);
		snprintf(href, sizeof href, "/services/%lld/delete", (long long)id);
		ui_post_button(&h, r, href, "Delete this service",
			       "usa-button--secondary", NULL, NULL);
	}
	layout_end(&h, &l);
	return layout_respond(&h, w, status);
}

int page_service(struct req *r, struct resp *w)
{
	return render_service(r, w, 200, NULL);
}

int page_service_update(struct req *r, struct resp *w)
{
	int64_t id = strtoll(req_param(r, "id"), NULL, 10);
	struct service_input in;
	struct service s;
	struct actor who;
	int rc;

	read_form(r, &in);
	rc = store_service_get(req_db(r), &r->arena, id, &s, &r->err);
	if (rc)
		return rc;
	if (!r->err.ndetails && in.org_id && in.org_id != s.org_id &&
	    !auth_allows(r, in.org_id, ROLE_FACILITATOR))
		errinfo_add(&r->err, "org_id", 0, 0,
			    "you need the facilitator role over that organization");
	auth_actor(r, &who);
	if (r->err.ndetails)
		entity_service_check(&in, &r->err);
	rc = r->err.ndetails ? req_fail(r, ERR_INVALID, "Check the fields below.")
			     : ops_service_update(req_db(r), &who, id, &in,
						  &r->err);
	if (rc == ERR_INVALID || rc == ERR_CONFLICT)
		return render_service(r, w, form_failed(r, rc), &in);
	if (rc)
		return rc;
	return ui_redirect(r, w, arena_printf(&r->arena,
			   "/services/%lld?done=saved", (long long)id));
}

int page_service_delete(struct req *r, struct resp *w)
{
	struct actor who;
	int rc;

	auth_actor(r, &who);
	rc = ops_service_delete(req_db(r), &who,
				strtoll(req_param(r, "id"), NULL, 10), &r->err);
	return rc ? rc : ui_redirect(r, w, "/services?done=deleted");
}
