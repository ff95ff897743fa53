/* page-orgs.c: the organization tree: list, create, view, edit, delete. */
#include "pages.h"

#include "core/entity.h"
#include "http/auth.h"
#include "ops/ops.h"
#include "store/accounts.h"
#include "ui/layout.h"
#include "ui/widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const KIND_LABELS[] = {
	"Department", "Component", "Office", "Program",
};

static const struct ui_label LABELS[] = {
	{ "name", "Name" }, { "short_name", "Short name" }, { "kind", "Kind" },
	{ "parent_id", "Part of" }, { NULL, NULL },
};

/* A form's id field: 0 when empty, -1 (with a detail) when not an id. */
static int64_t form_id(struct req *r, const char *field)
{
	const char *v = form_get(r->form, field);
	char *end;
	long long id;

	if (!v || !*v)
		return 0;
	id = strtoll(v, &end, 10);
	if (*end || id <= 0) {
		errinfo_add(&r->err, field, 0, 0, "must be chosen from the list");
		return -1;
	}
	return id;
}

static void read_form(struct req *r, struct org_input *in)
{
	in->name = form_get(r->form, "name");
	in->short_name = form_get(r->form, "short_name");
	in->kind = form_get(r->form, "kind");
	in->parent_id = form_id(r, "parent_id");
}

static const char *id_text(struct req *r, int64_t id)
{
	return id ? arena_printf(&r->arena, "%lld", (long long)id) : "";
}

/* The parent choices: organizations where the caller is an analyst,
 * skipping `skip` and its descendants; admins also get "top level". */
static void parent_select(struct req *r, struct html *h, struct org *orgs,
			  size_t n, int64_t skip, int64_t selected)
{
	const char **values = arena_calloc(&r->arena, n + 1, sizeof *values);
	const char **labels = arena_calloc(&r->arena, n + 1, sizeof *labels);
	size_t i, k = 0;
	int skip_depth = -1;

	if (!values || !labels)
		return;
	for (i = 0; i < n; i++) {
		if (skip_depth >= 0 && orgs[i].depth > skip_depth)
			continue;
		skip_depth = -1;
		if (orgs[i].id == skip) {
			skip_depth = orgs[i].depth;
			continue;
		}
		if (!auth_allows(r, orgs[i].id, ROLE_ANALYST))
			continue;
		values[k] = id_text(r, orgs[i].id);
		labels[k] = arena_printf(&r->arena, "%*s%s", orgs[i].depth * 2,
					 "", orgs[i].name);
		k++;
	}
	ui_select(h, &(struct ui_field){ .name = "parent_id",
		  .label = "Part of", .value = id_text(r, selected),
		  .hint = r->user->is_admin ? "Leave empty for a top-level "
			  "organization (a department)." : NULL,
		  .required = !r->user->is_admin },
		  values, labels, k, r->user->is_admin ? "None (top level)" : "",
		  &r->err);
}

static void org_fields(struct html *h, struct req *r,
		       const struct org_input *in)
{
	ui_input(h, &(struct ui_field){ .name = "name", .label = "Name",
		 .value = in->name, .required = true,
		 .maxlength = ENTITY_NAME_MAX }, &r->err);
	ui_input(h, &(struct ui_field){ .name = "short_name",
		 .label = "Short name", .value = in->short_name,
		 .hint = "An abbreviation, such as USCIS.",
		 .maxlength = ENTITY_SHORT_NAME_MAX }, &r->err);
	ui_select(h, &(struct ui_field){ .name = "kind", .label = "Kind",
		  .value = in->kind, .required = true },
		  entity_org_kinds, KIND_LABELS, 4, NULL, &r->err);
}

static void tree_table(struct html *h, struct req *r, struct org *orgs,
		       size_t n)
{
	char depth_class[24], href[40];
	size_t i;

	ui_table_begin(h, "usa-table usa-table--borderless", "Organizations, each under the one it is part of",
		       (const char *const[]){ "Name", "Short name", "Kind", "Services", "Sub-organizations", NULL });
	for (i = 0; i < n; i++) {
		int d = orgs[i].depth > 5 ? 5 : orgs[i].depth;
		snprintf(depth_class, sizeof depth_class, "cxm-depth-%d", d);
		snprintf(href, sizeof href, "/orgs/%lld", (long long)orgs[i].id);
		html_open(h, EL_TR, ATTR__END);
		html_open(h, EL_TH, ATTR_SCOPE, "row", ATTR_CLASS,
			  d ? depth_class : NULL, ATTR__END);
		html_elem(h, EL_A, orgs[i].name, ATTR_HREF, href, ATTR_CLASS,
			  "usa-link", ATTR__END);
		html_close(h);
		html_elem(h, EL_TD, orgs[i].short_name, ATTR__END);
		html_elem(h, EL_TD, orgs[i].kind, ATTR__END);
		html_open(h, EL_TD, ATTR__END);
		html_printf(h, "%lld", (long long)orgs[i].nservices);
		html_close(h);
		html_open(h, EL_TD, ATTR__END);
		html_printf(h, "%lld", (long long)orgs[i].nchildren);
		html_close(h);
		html_close(h);
	}
	html_close(h);
	html_close(h);
	(void)r;
}

static int render_list(struct req *r, struct resp *w, int status,
		       const struct org_input *in)
{
	struct html h;
	struct layout l = { .title = "Organizations", .current = NAV_ORGS, .r = r };
	struct org *orgs;
	size_t n;
	const char *done = req_query(r, "done");
	struct errinfo lerr;
	int rc;

	errinfo_clear(&lerr);
	rc = store_org_list(req_db(r), &r->arena,
			    r->user->is_admin ? 0 : r->user->id, &orgs, &n, &lerr);
	if (rc)
		return rc;
	html_init(&h, &w->body);
	layout_begin(&h, &l);
	html_elem(&h, EL_H1, "Organizations", ATTR__END);
	if (done && strcmp(done, "deleted") == 0)
		ui_alert(&h, "success", NULL, "The organization was deleted.");
	ui_error_summary(&h, &r->err, LABELS);
	if (n == 0)
		html_elem(&h, EL_P, r->user->is_admin ?
			  "There are no organizations yet. Start with your "
			  "department: fill in the form below with kind "
			  "\u201cDepartment\u201d and no parent." :
			  "You have no organizations yet. Ask an administrator "
			  "for a role on yours.", ATTR_CLASS, "usa-intro",
			  ATTR__END);
	else
		tree_table(&h, r, orgs, n);
	if (r->user->is_admin || auth_allows(r, 0, ROLE_ANALYST)) {
		ui_form_begin(&h, r, "/orgs", "usa-form usa-form--large", "create", "Add an organization");
		org_fields(&h, r, in);
		parent_select(r, &h, orgs, n, 0, in->parent_id);
		ui_form_end(&h, "Add organization");
	}
	layout_end(&h, &l);
	return layout_respond(&h, w, status);
}

int page_orgs(struct req *r, struct resp *w)
{
	struct org_input in = { .kind = "component" };

	return render_list(r, w, 200, &in);
}

int page_org_create(struct req *r, struct resp *w)
{
	struct org_input in;
	struct actor who;
	int64_t id = 0;
	int rc;

	read_form(r, &in);
	auth_actor(r, &who);
	if (r->err.ndetails)
		entity_org_check(&in, &r->err);
	rc = r->err.ndetails ? req_fail(r, ERR_INVALID, "Check the fields below.")
			     : ops_org_create(req_db(r), &who, &in, &id, &r->err);
	if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
		if (rc == ERR_CONFLICT)
			errinfo_add(&r->err, "name", 0, 0, "%s", r->err.message);
		return render_list(r, w, rc == ERR_CONFLICT ? 409 : 422, &in);
	}
	if (rc)
		return rc;
	return ui_redirect(r, w, arena_printf(&r->arena, "/orgs/%lld?done=created",
					      (long long)id));
}

static void child_list(struct html *h, struct org *orgs, size_t n,
		       int64_t parent)
{
	char href[40];
	size_t i, shown = 0;

	for (i = 0; i < n; i++) {
		if (orgs[i].parent_id != parent)
			continue;
		if (!shown++)
			html_open(h, EL_UL, ATTR_CLASS, "usa-list", ATTR__END);
		snprintf(href, sizeof href, "/orgs/%lld", (long long)orgs[i].id);
		html_open(h, EL_LI, ATTR__END);
		html_elem(h, EL_A, orgs[i].name, ATTR_HREF, href, ATTR_CLASS,
			  "usa-link", ATTR__END);
		html_close(h);
	}
	if (shown)
		html_close(h);
	else
		html_elem(h, EL_P, "None.", ATTR_CLASS, "usa-hint", ATTR__END);
}

static int render_org(struct req *r, struct resp *w, int status,
		      const struct org_input *edit)
{
	struct html h;
	struct layout l = { .title = "Organization", .current = NAV_ORGS, .r = r };
	int64_t id = strtoll(req_param(r, "id"), NULL, 10);
	struct org o, *orgs, parent;
	struct service *svcs;
	size_t n, ns, i;
	struct org_input in;
	const char *done = req_query(r, "done");
	struct errinfo lerr;
	char href[48];
	int rc;

	errinfo_clear(&lerr);
	rc = store_org_get(req_db(r), &r->arena, id, &o, &lerr);
	if (!rc)
		rc = store_org_list(req_db(r), &r->arena, 0, &orgs, &n, &lerr);
	if (!rc)
		rc = store_service_list(req_db(r), &r->arena, id, 0, &svcs, &ns,
					&lerr);
	if (rc == ERR_NOTFOUND)
		return req_fail(r, rc, "There is no such organization.");
	if (rc)
		return rc;
	in = edit ? *edit : (struct org_input){ .name = o.name,
		.short_name = o.short_name, .kind = o.kind,
		.parent_id = o.parent_id };
	l.title = o.name;
	html_init(&h, &w->body);
	layout_begin(&h, &l);
	html_open(&h, EL_P, ATTR__END);
	html_elem(&h, EL_A, "All organizations", ATTR_HREF, "/orgs",
		  ATTR_CLASS, "usa-link", ATTR__END);
	html_close(&h);
	html_elem(&h, EL_H1, o.name, ATTR__END);
	if (done && strcmp(done, "created") == 0)
		ui_alert(&h, "success", NULL, "The organization was added.");
	if (done && strcmp(done, "saved") == 0)
		ui_alert(&h, "success", NULL, "Your changes were saved.");
	ui_error_summary(&h, &r->err, LABELS);
	html_open(&h, EL_DL, ATTR__END);
	html_elem(&h, EL_DT, "Kind", ATTR__END);
	html_elem(&h, EL_DD, o.kind, ATTR__END);
	html_elem(&h, EL_DT, "Short name", ATTR__END);
	html_elem(&h, EL_DD, o.short_name[0] ? o.short_name : "None", ATTR__END);
	html_elem(&h, EL_DT, "Part of", ATTR__END);
	html_open(&h, EL_DD, ATTR__END);
	if (o.parent_id && store_org_get(req_db(r), &r->arena, o.parent_id,
					 &parent, &lerr) == 0) {
		snprintf(href, sizeof href, "/orgs/%lld", (long long)parent.id);
		html_elem(&h, EL_A, parent.name, ATTR_HREF, href, ATTR_CLASS,
			  "usa-link", ATTR__END);
	} else {
		html_text(&h, "Nothing: this is a top-level organization.");
	}
	html_close(&h);
	html_close(&h);

	html_elem(&h, EL_H2, "Services", ATTR__END);
	if (!ns) {
		html_open(&h, EL_P, ATTR_CLASS, "usa-hint", ATTR__END);
		html_text(&h, "No services yet. ");
		html_elem(&h, EL_A, "Add one on the services page", ATTR_HREF,
			  "/services#create", ATTR_CLASS, "usa-link", ATTR__END);
		html_text(&h, ".");
		html_close(&h);
	} else {
		html_open(&h, EL_UL, ATTR_CLASS, "usa-list", ATTR__END);
		for (i = 0; i < ns; i++) {
			snprintf(href, sizeof href, "/services/%lld",
				 (long long)svcs[i].id);
			html_open(&h, EL_LI, ATTR__END);
			html_elem(&h, EL_A, svcs[i].name, ATTR_HREF, href,
				  ATTR_CLASS, "usa-link", ATTR__END);
			if (svcs[i].org_id != id) {
				html_text(&h, " (");
				html_text(&h, svcs[i].org_name);
				html_text(&h, ")");
			}
			html_close(&h);
		}
		html_close(&h);
	}
	html_elem(&h, EL_H2, "Sub-organizations", ATTR__END);
	child_list(&h, orgs, n, id);

	if (auth_allows(r, id, ROLE_ANALYST)) {
		snprintf(href, sizeof href, "/orgs/%lld", (long long)id);
		ui_form_begin(&h, r, href, "usa-form usa-form--large", NULL, "Edit this organization");
		org_fields(&h, r, &in);
		parent_select(r, &h, orgs, n, id, in.parent_id);
		ui_form_end(&h, "Save changes");

		html_elem(&h, EL_H2, "Delete", ATTR__END);
		if (o.nservices || o.nchildren) {
			html_elem(&h, EL_P, "An organization can be deleted only "
				  "when it has no services and no "
				  "sub-organizations. Move or delete those first.",
				  ATTR__END);
		} else if (o.parent_id || r->user->is_admin) {
			snprintf(href, sizeof href, "/orgs/%lld/delete",
				 (long long)id);
			html_elem(&h, EL_P, "This cannot be undone.", ATTR__END);
			ui_post_button(&h, r, href, "Delete this organization",
				       "usa-button--secondary", NULL, NULL);
		}
	}
	layout_end(&h, &l);
	return layout_respond(&h, w, status);
}

int page_org(struct req *r, struct resp *w)
{
	return render_org(r, w, 200, NULL);
}

int page_org_update(struct req *r, struct resp *w)
{
	int64_t id = strtoll(req_param(r, "id"), NULL, 10);
	struct org_input in;
	struct org o;
	struct actor who;
	int rc;

	read_form(r, &in);
	rc = store_org_get(req_db(r), &r->arena, id, &o, &r->err);
	if (rc)
		return rc;
	if (!r->err.ndetails && in.parent_id != o.parent_id &&
	    !(in.parent_id ? auth_allows(r, in.parent_id, ROLE_ANALYST)
			   : r->user->is_admin))
		errinfo_add(&r->err, "parent_id", 0, 0, in.parent_id ?
			    "you need the analyst role over the new parent" :
			    "only administrators can make it top-level");
	auth_actor(r, &who);
	if (r->err.ndetails)
		entity_org_check(&in, &r->err);
	rc = r->err.ndetails ? req_fail(r, ERR_INVALID, "Check the fields below.")
			     : ops_org_update(req_db(r), &who, id, &in, &r->err);
	if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
		if (rc == ERR_CONFLICT)
			errinfo_add(&r->err, "name", 0, 0, "%s", r->err.message);
		return render_org(r, w, rc == ERR_CONFLICT ? 409 : 422, &in);
	}
	if (rc)
		return rc;
	return ui_redirect(r, w, arena_printf(&r->arena, "/orgs/%lld?done=saved",
					      (long long)id));
}

int page_org_delete(struct req *r, struct resp *w)
{
	int64_t id = strtoll(req_param(r, "id"), NULL, 10);
	struct org o;
	struct actor who;
	int rc = store_org_get(req_db(r), &r->arena, id, &o, &r->err);

	if (rc)
		return rc;
	if (!o.parent_id && !r->user->is_admin)
		return req_fail(r, ERR_FORBIDDEN,
			"Only administrators can delete top-level organizations.");
	auth_actor(r, &who);
	rc = ops_org_delete(req_db(r), &who, id, &r->err);
	return rc ? rc : ui_redirect(r, w, "/orgs?done=deleted");
}
