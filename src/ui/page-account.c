/* page-account.c: sign in, sign out, and "my account" (password, API tokens). */
#include "pages.h"

#include "core/entity.h"
#include "http/auth.h"
#include "ops/ops.h"
#include "store/accounts.h"
#include "ui/layout.h"
#include "ui/widgets.h"
#include "util/secret.h"

#include <stdlib.h>
#include <string.h>

/* Only local paths may be returned to after signing in. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
	    strpbrk(next, "\r\n") || strlen(next) > 512)
		return "/";
	return next;
}

static const struct ui_label LOGIN_LABELS[] = {
	{ "email", "Email address" }, { "password", "Password" }, { NULL, NULL },
};

static const struct ui_label ACCOUNT_LABELS[] = {
	{ "name", "Token name" }, { "expires", "Expires after (days)" },
	{ "current", "Current password" }, { "password", "New password" },
	{ "confirm", "New password again" }, { NULL, NULL },
};

static int render_login(struct req *r, struct resp *w, int status,
			const char *email, const char *next)
{
	struct html h;
	struct layout l = { .title = "Sign in", .current = NAV_LOGIN, .r = r };
	const char *token = auth_form_token(r, w);

	if (!token)
		return ERR_NOMEM;
	html_init(&h, &w->body);
	layout_begin(&h, &l);
	html_open(&h, EL_DIV, ATTR_CLASS, "grid-row", ATTR__END);
	html_open(&h, EL_DIV, ATTR_CLASS, "grid-col-12 tablet:grid-col-8 desktop:grid-col-6",
		  ATTR__END);
	html_elem(&h, EL_H1, "Sign in", ATTR__END);
	if (req_query(r, "expired"))
		ui_alert(&h, "info", NULL,
			 "Your session has ended. Sign in again to continue.");
	if (req_query(r, "signed_out"))
		ui_alert(&h, "success", NULL, "You have signed out.");
	if (r->user) {
		html_open(&h, EL_P, ATTR__END);
		html_text(&h, "You are signed in as ");
		html_elem(&h, EL_STRONG, r->user->email, ATTR__END);
		html_text(&h, ". ");
		html_elem(&h, EL_A, "Go to your account", ATTR_HREF, "/account",
			  ATTR_CLASS, "usa-link", ATTR__END);
		html_close(&h);
	}
	ui_error_summary(&h, &r->err, LOGIN_LABELS);
	html_open(&h, EL_FORM, ATTR_METHOD, "post", ATTR_ACTION, "/login",
		  ATTR_CLASS, "usa-form", ATTR__END);
	/* Always the double-submit token: page_login_post checks that one,
	 * whoever is signed in now. */
	html_open(&h, EL_INPUT, ATTR_TYPE, "hidden", ATTR_NAME, "csrf",
		  ATTR_VALUE, token, ATTR__END);
	html_open(&h, EL_INPUT, ATTR_TYPE, "hidden", ATTR_NAME, "next",
		  ATTR_VALUE, safe_next(next), ATTR__END);
	ui_input(&h, &(struct ui_field){ .name = "email", .label = "Email address",
		 .value = email, .type = "email", .autocomplete = "username",
		 .required = true, .maxlength = ENTITY_EMAIL_MAX }, &r->err);
	ui_input(&h, &(struct ui_field){ .name = "password", .label = "Password",
		 .type = "password", .autocomplete = "current-password",
		 .required = true, .maxlength = SECRET_PASSWORD_MAX }, &r->err);
	html_elem(&h, EL_BUTTON, "Sign in", ATTR_TYPE, "submit", ATTR_CLASS,
		  "usa-button", ATTR__END);
	html_close(&h);
	html_elem(&h, EL_P, "Accounts are created by an administrator. If you "
		  "have lost your password, ask one to set a new one.",
		  ATTR_CLASS, "usa-hint", ATTR__END);
	html_close(&h);
	html_close(&h);
	layout_end(&h, &l);
	return layout_respond(&h, w, status);
}

int page_login(struct req *r, struct resp *w)
{
	errinfo_clear(&r->err);
	return render_login(r, w, 200, NULL, req_query(r, "next"));
}

int page_login_post(struct req *r, struct resp *w)
{
	const char *email_in = form_get(r->form, "email");
	const char *password = form_get(r->form, "password");
	const char *next = safe_next(form_get(r->form, "next"));
	const char *sent = form_get(r->form, "csrf");
	const char *cookie = auth_cookie(r, AUTH_CSRF_COOKIE);
	char email[ENTITY_EMAIL_MAX + 1];
	struct user u;
	struct actor who;
	int64_t retry = 0;
	int rc;

	if (!sent || !cookie ||
	    !secret_equal(sent, strlen(sent), cookie, strlen(cookie))) {
		req_fail(r, ERR_FORBIDDEN, "The sign-in form expired. Try again.");
		resp_reset(w);
		return render_login(r, w, 403, email_in, next);
	}
	if (!email_in || !entity_email_normalize(email_in, email, sizeof email))
		email[0] = '\0';
	rc = auth_check_password(r, email, password, &u, &retry);
	if (rc == ERR_UNAUTHORIZED || rc == ERR_RATE_LIMIT) {
		r->retry_after = retry;
		if (retry) {
			char *ra = arena_printf(&r->arena, "%lld", (long long)retry);
			if (ra)
				resp_header(w, "Retry-After", ra);
		}
		return render_login(r, w, rc == ERR_RATE_LIMIT ? 429 : 401,
				    email_in, next);
	}
	if (rc)
		return rc;
	rc = store_tx_begin(req_db(r), &r->err);
	if (rc)
		return rc;
	rc = auth_session_start(r, w, &u);
	r->user = &u;
	auth_actor(r, &who);
	r->user = NULL;
	if (!rc)
		rc = ops_audit_event(req_db(r), &who, "sign-in", "user", u.id,
				     &r->err);
	if (rc) {
		store_tx_rollback(req_db(r));
		return rc;
	}
	rc = store_tx_commit(req_db(r), &r->err);
	return rc ? rc : ui_redirect(r, w, next);
}

int page_logout(struct req *r, struct resp *w)
{
	struct actor who;
	int rc;

	auth_actor(r, &who);
	rc = store_tx_begin(req_db(r), &r->err);
	if (rc)
		return rc;
	rc = ops_audit_event(req_db(r), &who, "sign-out", "user", r->user->id,
			     &r->err);
	if (!rc)
		rc = auth_session_end(r, w);
	if (rc) {
		store_tx_rollback(req_db(r));
		return rc;
	}
	rc = store_tx_commit(req_db(r), &r->err);
	return rc ? rc : ui_redirect(r, w, "/login?signed_out=1");
}

/* The account page, optionally with a freshly created token shown once. */
static int render_account(struct req *r, struct resp *w, int status,
			  const char *new_token)
{
	struct html h;
	struct layout l = { .title = "My account", .current = NAV_ACCOUNT, .r = r };
	struct user_grant *grants;
	struct api_token *tokens;
	size_t ng = 0, nt = 0, i;
	const char *done = req_query(r, "done");
	struct errinfo ignore;
	char action[64];
	int rc;

	errinfo_clear(&ignore);
	rc = store_grant_list(req_db(r), &r->arena, r->user->id, &grants, &ng,
			      &ignore);
	if (!rc)
		rc = store_token_list(req_db(r), &r->arena, r->user->id, &tokens,
				      &nt, &ignore);
	if (rc)
		return rc;
	html_init(&h, &w->body);
	layout_begin(&h, &l);
	html_elem(&h, EL_H1, "My account", ATTR__END);
	if (done && strcmp(done, "password") == 0)
		ui_alert(&h, "success", NULL, "Your password has been changed.");
	if (done && strcmp(done, "revoked") == 0)
		ui_alert(&h, "success", NULL, "The token has been revoked.");
	if (new_token) {
		html_open(&h, EL_DIV, ATTR_CLASS, "usa-alert usa-alert--warning",
			  ATTR_ROLE, "status", ATTR__END);
		html_open(&h, EL_DIV, ATTR_CLASS, "usa-alert__body", ATTR__END);
		html_elem(&h, EL_H2, "Copy your new API token now",
			  ATTR_CLASS, "usa-alert__heading", ATTR__END);
		html_elem(&h, EL_P, "It is shown only this once. cxm keeps only "
			  "a hash of it.", ATTR_CLASS, "usa-alert__text", ATTR__END);
		html_elem(&h, EL_P, new_token, ATTR_CLASS, "cxm-secret",
			  ATTR_ID, "new-token", ATTR__END);
		html_close(&h);
		html_close(&h);
	}
	ui_error_summary(&h, &r->err, ACCOUNT_LABELS);

	html_open(&h, EL_DL, ATTR__END);
	html_elem(&h, EL_DT, "Name", ATTR__END);
	html_elem(&h, EL_DD, r->user->name, ATTR__END);
	html_elem(&h, EL_DT, "Email address", ATTR__END);
	html_elem(&h, EL_DD, r->user->email, ATTR__END);
	html_elem(&h, EL_DT, "Roles", ATTR__END);
	html_open(&h, EL_DD, ATTR__END);
	if (r->user->is_admin)
		html_text(&h, "Administrator (everything, everywhere). ");
	if (!ng && !r->user->is_admin)
		html_text(&h, "None yet. Ask an administrator for a role on "
			      "your organization.");
	html_close(&h);
	html_close(&h);
	if (ng) {
		ui_table_begin(&h, "usa-table", "Your roles by organization",
			       (const char *const[]){ "Organization (and everything under it)", "Role", NULL });
		for (i = 0; i < ng; i++) {
			html_open(&h, EL_TR, ATTR__END);
			html_elem(&h, EL_TD, grants[i].org_name, ATTR__END);
			html_elem(&h, EL_TD, role_name(grants[i].role), ATTR__END);
			html_close(&h);
		}
		html_close(&h);
		html_close(&h);
	}

	html_elem(&h, EL_H2, "API tokens", ATTR__END);
	html_elem(&h, EL_P, "A token lets a program use the cxm API as you, "
		  "with your roles: send it as 'Authorization: Bearer TOKEN'.",
		  ATTR__END);
	if (!nt) {
		html_elem(&h, EL_P, "You have no API tokens. Create one below "
			  "when a program needs to reach cxm for you.",
			  ATTR_CLASS, "usa-hint", ATTR__END);
	} else {
		ui_table_begin(&h, "usa-table", "Your API tokens",
			       (const char *const[]){ "Name", "Created", "Last used", "Expires", "Status", NULL });
		for (i = 0; i < nt; i++) {
			html_open(&h, EL_TR, ATTR__END);
			html_elem(&h, EL_TD, tokens[i].name, ATTR__END);
			html_elem(&h, EL_TD, ui_time(r, tokens[i].created_at), ATTR__END);
			html_elem(&h, EL_TD, ui_time(r, tokens[i].last_used_at), ATTR__END);
			html_elem(&h, EL_TD, tokens[i].expires_at ?
				  ui_time(r, tokens[i].expires_at) : "no expiry",
				  ATTR__END);
			html_open(&h, EL_TD, ATTR__END);
			if (tokens[i].revoked_at) {
				html_text(&h, "Revoked");
			} else {
				snprintf(action, sizeof action,
					 "/account/tokens/%lld/revoke",
					 (long long)tokens[i].id);
				html_text(&h, "Active ");
				ui_post_button(&h, r, action, "Revoke",
					       "usa-button--outline usa-button--small-text",
					       NULL, NULL);
			}
			html_close(&h);
			html_close(&h);
		}
		html_close(&h);
		html_close(&h);
	}
	ui_form_begin(&h, r, "/account/tokens", "usa-form", NULL, "Create a token");
	ui_input(&h, &(struct ui_field){ .name = "name", .label = "Token name",
		 .hint = "What it is for, such as 'Quarterly export script'.",
		 .required = true, .maxlength = ENTITY_TOKEN_NAME_MAX }, &r->err);
	ui_input(&h, &(struct ui_field){ .name = "expires", .label = "Expires after (days)",
		 .hint = "Leave empty for no expiry.", .type = "number",
		 .maxlength = 4 }, &r->err);
	ui_form_end(&h, "Create token");

	ui_form_begin(&h, r, "/account/password", "usa-form", NULL, "Change your password");
	ui_input(&h, &(struct ui_field){ .name = "current", .label = "Current password",
		 .type = "password", .autocomplete = "current-password",
		 .required = true, .maxlength = SECRET_PASSWORD_MAX }, &r->err);
	ui_input(&h, &(struct ui_field){ .name = "password", .label = "New password",
		 .hint = "At least 12 characters.", .type = "password",
		 .autocomplete = "new-password", .required = true,
		 .maxlength = SECRET_PASSWORD_MAX }, &r->err);
	ui_input(&h, &(struct ui_field){ .name = "confirm", .label = "New password again",
		 .type = "password", .autocomplete = "new-password",
		 .required = true, .maxlength = SECRET_PASSWORD_MAX }, &r->err);
	ui_form_end(&h, "Change password");
	layout_end(&h, &l);
	return layout_respond(&h, w, status);
}

int page_account(struct req *r, struct resp *w)
{
	return render_account(r, w, 200, ui_once_take(r, w, "/account"));
}

int page_account_password(struct req *r, struct resp *w)
{
	const char *current = form_get(r->form, "current");
	const char *password = form_get(r->form, "password");
	const char *confirm = form_get(r->form, "confirm");
	struct actor who;
	int rc;

	if (!secret_password_verify(r->user->password_hash, current)) {
		errinfo_add(&r->err, "current", 0, 0, "is not your current password");
		req_fail(r, ERR_INVALID, "The password was not changed.");
		return render_account(r, w, 422, NULL);
	}
	if (!password || !confirm || strcmp(password, confirm) != 0) {
		errinfo_add(&r->err, "confirm", 0, 0, "does not match the new password");
		req_fail(r, ERR_INVALID, "The password was not changed.");
		return render_account(r, w, 422, NULL);
	}
	auth_actor(r, &who);
	rc = ops_user_set_password(req_db(r), &who, r->user->id, password,
				   &r->err);
	if (rc == ERR_INVALID) {
		req_fail(r, ERR_INVALID, "The password was not changed.");
		return render_account(r, w, 422, NULL);
	}
	if (rc)
		return rc;
	/* Every session ended with the change; start a fresh one here. */
	rc = auth_session_start(r, w, r->user);
	return rc ? rc : ui_redirect(r, w, "/account?done=password");
}

int page_account_token_create(struct req *r, struct resp *w)
{
	const char *name = form_get(r->form, "name");
	const char *expires = form_get(r->form, "expires");
	char token[SECRET_TOKEN_TEXT + 8];
	struct actor who;
	long long days = 0;
	char *end = NULL;
	int rc;

	if (expires && *expires) {
		days = strtoll(expires, &end, 10);
		if (*end || days < 1 || days > 3650) {
			errinfo_add(&r->err, "expires", 0, 0,
				    "must be a number of days from 1 to 3650");
			req_fail(r, ERR_INVALID, "The token was not created.");
			return render_account(r, w, 422, NULL);
		}
	}
	auth_actor(r, &who);
	rc = ops_token_create(req_db(r), &who, r->user->id, name, days, token,
			      sizeof token, NULL, &r->err);
	if (rc == ERR_INVALID) {
		req_fail(r, ERR_INVALID, "The token was not created.");
		return render_account(r, w, 422, NULL);
	}
	if (rc)
		return rc;
	/* Shown once on the page the browser is sent to, so a reload
	 * cannot create a second token. */
	rc = ui_once_set(r, w, "/account", token);
	secret_wipe(token, sizeof token);
	return rc ? rc : ui_redirect(r, w, "/account?done=token");
}

int page_account_token_revoke(struct req *r, struct resp *w)
{
	struct actor who;
	int64_t id = strtoll(req_param(r, "token"), NULL, 10);
	int rc;

	auth_actor(r, &who);
	rc = ops_token_revoke(req_db(r), &who, id, r->user->id, &r->err);
	if (rc == ERR_NOTFOUND)
		return req_fail(r, ERR_NOTFOUND, "You have no such active token.");
	return rc ? rc : ui_redirect(r, w, "/account?done=revoked");
}
