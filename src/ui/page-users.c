/* page-users.c: administrators manage users, their roles and their tokens. */
#include "pages.h"

#include "core/entity.h"
#include "http/auth.h"
#include "ops/ops.h"
#include "store/accounts.h"
#include "ui/layout.h"
#include "ui/widgets.h"
#include "util/secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const GRANT_ROLES[] = { "viewer", "facilitator", "analyst" };
static const char *const GRANT_LABELS[] = {
	"Viewer: reads", "Facilitator: also runs assessments",
	"Analyst: also builds surveys and exports data",
};

static const struct ui_label USER_LABELS[] = {
	{ "email", "Email address" }, { "name", "Name" },
	{ "password", "Password" }, { "org_id", "Organization" },
	{ "role", "Role" }, { NULL, NULL },
};

static int64_t user_param(struct req *r)
{
	return strtoll(req_param(r, "user"), NULL, 10);
}

static int render_users(struct req *r, struct resp *w, int status,
			const char *email, const char *name)
{
	struct html h;
	struct layout l = { .title = "Users", .current = NAV_USERS, .r = r };
	struct user *users;
	size_t n, i;
	struct errinfo lerr;
	char href[48];
	int rc;

	errinfo_clear(&lerr);
	rc = store_user_list(req_db(r), &r->arena, &users, &n, &lerr);
	if (rc)
		return rc;
	html_init(&h, &w->body);
	layout_begin(&h, &l);
	html_elem(&h, EL_H1, "Users", ATTR__END);
	ui_error_summary(&h, &r->err, USER_LABELS);
	ui_table_begin(&h, "usa-table", "Everyone who can sign in",
		       (const char *const[]){ "Email address", "Name", "Administrator", NULL });
	for (i = 0; i < n; i++) {
		snprintf(href, sizeof href, "/admin/users/%lld",
			 (long long)users[i].id);
		html_open(&h, EL_TR, ATTR__END);
		html_open(&h, EL_TH, ATTR_SCOPE, "row", ATTR__END);
		html_elem(&h, EL_A, users[i].email, ATTR_HREF, href, ATTR_CLASS,
			  "usa-link", ATTR__END);
		html_close(&h);
		html_elem(&h, EL_TD, users[i].name, ATTR__END);
		html_elem(&h, EL_TD, users[i].is_admin ? "Yes" : "No", ATTR__END);
		html_close(&h);
	}
	html_close(&h);
	html_close(&h);

	ui_form_begin(&h, r, "/admin/users", "usa-form usa-form--large", "create", "Add a user");
	ui_input(&h, &(struct ui_field){ .name = "email", .label = "Email address",
		 .value = email, .type = "email", .required = true,
		 .maxlength = ENTITY_EMAIL_MAX }, &r->err);
	ui_input(&h, &(struct ui_field){ .name = "name", .label = "Name",
		 .value = name, .required = true, .maxlength = ENTITY_NAME_MAX },
		 &r->err);
	ui_input(&h, &(struct ui_field){ .name = "password", .label = "Password",
		 .type = "password", .autocomplete = "new-password",
		 .hint = "At least 12 characters. Leave empty to have one made "
			 "up and shown to you once.",
		 .maxlength = SECRET_PASSWORD_MAX }, &r->err);
	ui_checkbox(&h, "f-admin", "admin", "1",
		    "Administrator (may do everything, everywhere)", false);
	ui_form_end(&h, "Add user");
	layout_end(&h, &l);
	return layout_respond(&h, w, status);
}

int page_users(struct req *r, struct resp *w)
{
	return render_users(r, w, 200, NULL, NULL);
}

int page_user_create(struct req *r, struct resp *w)
{
	const char *email = form_get(r->form, "email");
	const char *name = form_get(r->form, "name");
	const char *password = form_get(r->form, "password");
	bool admin = form_get(r->form, "admin") != NULL;
	char made[21];
	struct actor who;
	int64_t id = 0;
	int rc;

	if (!password || !*password) {
		secret_password_generate(made);
		password = made;
	}
	auth_actor(r, &who);
	rc = ops_user_create(req_db(r), &who, email, name, password, admin, &id,
			     &r->err);
	if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
		if (rc == ERR_CONFLICT)
			errinfo_add(&r->err, "email", 0, 0, "%s", r->err.message);
		return render_users(r, w, rc == ERR_CONFLICT ? 409 : 422, email,
				    name);
	}
	if (rc)
		return rc;
	if (password == made) {
		/* Shown once on the user's page, so a reload cannot try to
		 * add the user again. */
		rc = ui_once_set(r, w, "/admin/users", made);
		secret_wipe(made, sizeof made);
		if (rc)
			return rc;
	}
	return ui_redirect(r, w, arena_printf(&r->arena,
			   "/admin/users/%lld?done=created", (long long)id));
}

static int render_user(struct req *r, struct resp *w, int status)
{
	const char *generated = status == 200 ? ui_once_take(r, w, "/admin/users")
					      : NULL;
	struct html h;
	struct layout l = { .title = "User", .current = NAV_USERS, .r = r };
	int64_t id = user_param(r);
	struct user u;
	struct user_grant *grants;
	struct api_token *tokens;
	struct org *orgs;
	size_t ng, nt, no, i;
	const char *done = req_query(r, "done");
	const char **ovals, **olabels;
	struct errinfo lerr;
	char action[80], org_id[24];
	int rc;

	errinfo_clear(&lerr);
	rc = store_user_get(req_db(r), &r->arena, id, &u, &lerr);
	if (rc == ERR_NOTFOUND)
		return req_fail(r, rc, "There is no such user.");
	if (!rc)
		rc = store_grant_list(req_db(r), &r->arena, id, &grants, &ng, &lerr);
	if (!rc)
		rc = store_token_list(req_db(r), &r->arena, id, &tokens, &nt, &lerr);
	if (!rc)
		rc = store_org_list(req_db(r), &r->arena, 0, &orgs, &no, &lerr);
	if (rc)
		return rc;
	l.title = u.email;
	html_init(&h, &w->body);
	layout_begin(&h, &l);
	html_open(&h, EL_P, ATTR__END);
	html_elem(&h, EL_A, "All users", ATTR_HREF, "/admin/users", ATTR_CLASS,
		  "usa-link", ATTR__END);
	html_close(&h);
	html_elem(&h, EL_H1, u.name, ATTR__END);
	if (done)
		ui_alert(&h, "success", NULL, strcmp(done, "created") == 0 ?
			 "The user was added." : "Your change was saved.");
	if (generated) {
		html_open(&h, EL_DIV, ATTR_CLASS, "usa-alert usa-alert--warning",
			  ATTR_ROLE, "status", ATTR__END);
		html_open(&h, EL_DIV, ATTR_CLASS, "usa-alert__body", ATTR__END);
		html_elem(&h, EL_H2, "The user was added with this password",
			  ATTR_CLASS, "usa-alert__heading", ATTR__END);
		html_elem(&h, EL_P, "Give it to them safely; it is shown only "
			  "this once. They can change it on their account page.",
			  ATTR_CLASS, "usa-alert__text", ATTR__END);
		html_elem(&h, EL_P, generated, ATTR_CLASS, "cxm-secret", ATTR_ID,
			  "generated-password", ATTR__END);
		html_close(&h);
		html_close(&h);
	}

	ui_error_summary(&h, &r->err, USER_LABELS);
	html_open(&h, EL_DL, ATTR__END);
	html_elem(&h, EL_DT, "Email address", ATTR__END);
	html_elem(&h, EL_DD, u.email, ATTR__END);
	html_elem(&h, EL_DT, "Administrator", ATTR__END);
	html_elem(&h, EL_DD, u.is_admin ? "Yes" : "No", ATTR__END);
	html_elem(&h, EL_DT, "Added", ATTR__END);
	html_elem(&h, EL_DD, u.created_at, ATTR__END);
	html_close(&h);
	snprintf(action, sizeof action, "/admin/users/%lld/admin", (long long)id);
	if (u.id != r->user->id)
		ui_post_button(&h, r, action, u.is_admin ?
			       "Remove administrator role" : "Make administrator",
			       "usa-button--outline", "admin",
			       u.is_admin ? "0" : "1");

	html_elem(&h, EL_H2, "Roles", ATTR__END);
	if (!ng) {
		html_elem(&h, EL_P, u.is_admin ? "As an administrator this user "
			  "needs no roles." : "No roles yet: this user can sign "
			  "in but sees no organization. Give a role below.",
			  ATTR_CLASS, "usa-hint", ATTR__END);
	} else {
		ui_table_begin(&h, "usa-table", "Roles by organization",
			       (const char *const[]){ "Organization (and everything under it)", "Role", "Change", NULL });
		snprintf(action, sizeof action, "/admin/users/%lld/grants/delete",
			 (long long)id);
		for (i = 0; i < ng; i++) {
			snprintf(org_id, sizeof org_id, "%lld",
				 (long long)grants[i].org_id);
			html_open(&h, EL_TR, ATTR__END);
			html_elem(&h, EL_TD, grants[i].org_name, ATTR__END);
			html_elem(&h, EL_TD, role_name(grants[i].role), ATTR__END);
			html_open(&h, EL_TD, ATTR__END);
			ui_post_button(&h, r, action, "Remove",
				       "usa-button--outline", "org_id", org_id);
			html_close(&h);
			html_close(&h);
		}
		html_close(&h);
		html_close(&h);
	}
	ovals = arena_calloc(&r->arena, no + 1, sizeof *ovals);
	olabels = arena_calloc(&r->arena, no + 1, sizeof *olabels);
	if (!ovals || !olabels)
		return ERR_NOMEM;
	for (i = 0; i < no; i++) {
		ovals[i] = arena_printf(&r->arena, "%lld", (long long)orgs[i].id);
		olabels[i] = arena_printf(&r->arena, "%*s%s", orgs[i].depth * 2,
					  "", orgs[i].name);
	}
	if (no) {
		snprintf(action, sizeof action, "/admin/users/%lld/grants",
			 (long long)id);
		ui_form_begin(&h, r, action, "usa-form", NULL, "Give a role");
		ui_select(&h, &(struct ui_field){ .name = "org_id",
			  .label = "Organization", .required = true,
			  .hint = "The role covers this organization and "
				  "everything under it." },
			  ovals, olabels, no, "- Select -", &r->err);
		ui_select(&h, &(struct ui_field){ .name = "role", .label = "Role",
			  .required = true, .value = "viewer" },
			  GRANT_ROLES, GRANT_LABELS, 3, NULL, &r->err);
		ui_form_end(&h, "Give role");
	} else {
		html_elem(&h, EL_P, "There are no organizations to give a role "
			  "on yet.", ATTR_CLASS, "usa-hint", ATTR__END);
	}

	html_elem(&h, EL_H2, "API tokens", ATTR__END);
	if (!nt) {
		html_elem(&h, EL_P, "This user has no API tokens.", ATTR_CLASS,
			  "usa-hint", ATTR__END);
	} else {
		ui_table_begin(&h, "usa-table", "API tokens of this user",
			       (const char *const[]){ "Name", "Last used", "Status", NULL });
		for (i = 0; i < nt; i++) {
			html_open(&h, EL_TR, ATTR__END);
			html_elem(&h, EL_TD, tokens[i].name, ATTR__END);
			html_elem(&h, EL_TD, ui_time(r, tokens[i].last_used_at),
				  ATTR__END);
			html_open(&h, EL_TD, ATTR__END);
			if (tokens[i].revoked_at) {
				html_text(&h, "Revoked");
			} else {
				snprintf(action, sizeof action,
					 "/admin/tokens/%lld/revoke",
					 (long long)tokens[i].id);
				ui_post_button(&h, r, action, "Revoke",
					       "usa-button--outline", NULL, NULL);
			}
			html_close(&h);
			html_close(&h);
		}
		html_close(&h);
		html_close(&h);
	}

	snprintf(action, sizeof action, "/admin/users/%lld/password",
		 (long long)id);
	ui_form_begin(&h, r, action, "usa-form", NULL, "Set a new password");
	ui_input(&h, &(struct ui_field){ .name = "password",
		 .label = "New password", .type = "password",
		 .autocomplete = "new-password", .required = true,
		 .hint = "At least 12 characters. The user is signed out everywhere.",
		 .maxlength = SECRET_PASSWORD_MAX }, &r->err);
	ui_form_end(&h, "Set password");
	layout_end(&h, &l);
	return layout_respond(&h, w, status);
}

int page_user(struct req *r, struct resp *w)
{
	return render_user(r, w, 200);
}

/* After a change on the user page: back to it, or the page with errors. */
static int after(struct req *r, struct resp *w, int rc)
{
	if (rc == ERR_INVALID || rc == ERR_NOTFOUND) {
		if (!r->err.message[0])
			req_fail(r, rc, "The change was not made.");
		return render_user(r, w, rc == ERR_NOTFOUND ? 404 : 422);
	}
	if (rc)
		return rc;
	return ui_redirect(r, w, arena_printf(&r->arena,
			   "/admin/users/%lld?done=saved", (long long)user_param(r)));
}

int page_user_grant(struct req *r, struct resp *w)
{
	const char *org = form_get(r->form, "org_id");
	enum role role = role_parse(form_get(r->form, "role"));
	int64_t org_id = org ? strtoll(org, NULL, 10) : 0;
	struct actor who;
	int rc;

	if (org_id <= 0)
		errinfo_add(&r->err, "org_id", 0, 0, "must be chosen from the list");
	if (!role_is_grant(role))
		errinfo_add(&r->err, "role", 0, 0, "must be chosen from the list");
	auth_actor(r, &who);
	rc = r->err.ndetails ? req_fail(r, ERR_INVALID, "The role was not given.")
			     : ops_grant_set(req_db(r), &who, user_param(r),
					     org_id, role, &r->err);
	return after(r, w, rc);
}

int page_user_grant_delete(struct req *r, struct resp *w)
{
	const char *org = form_get(r->form, "org_id");
	struct actor who;

	auth_actor(r, &who);
	return after(r, w, ops_grant_delete(req_db(r), &who, user_param(r),
					    org ? strtoll(org, NULL, 10) : 0,
					    &r->err));
}

int page_user_admin(struct req *r, struct resp *w)
{
	const char *v = form_get(r->form, "admin");
	struct actor who;

	if (user_param(r) == r->user->id)
		return req_fail(r, ERR_CONFLICT,
			"You cannot change your own administrator role; ask "
			"another administrator.");
	auth_actor(r, &who);
	return after(r, w, ops_user_set_admin(req_db(r), &who, user_param(r),
					      v && strcmp(v, "1") == 0, &r->err));
}

int page_user_password(struct req *r, struct resp *w)
{
	struct actor who;

	auth_actor(r, &who);
	return after(r, w, ops_user_set_password(req_db(r), &who, user_param(r),
						 form_get(r->form, "password"),
						 &r->err));
}

int page_admin_token_revoke(struct req *r, struct resp *w)
{
	int64_t id = strtoll(req_param(r, "token"), NULL, 10);
	struct api_token *tokens;
	struct actor who;
	size_t n, i;
	int64_t owner = 0;
	int rc = store_token_list(req_db(r), &r->arena, 0, &tokens, &n, &r->err);

	if (rc)
		return rc;
	for (i = 0; i < n; i++)
		if (tokens[i].id == id)
			owner = tokens[i].user_id;
	auth_actor(r, &who);
	rc = ops_token_revoke(req_db(r), &who, id, 0, &r->err);
	if (rc == ERR_NOTFOUND)
		return req_fail(r, rc, "There is no such active token.");
	if (rc)
		return rc;
	return ui_redirect(r, w, arena_printf(&r->arena,
			   "/admin/users/%lld?done=saved", (long long)owner));
}
