/* page-audit.c: the audit log for administrators, filterable and paged. */
#include "pages.h"

#include "store/audit.h"
#include "ui/layout.h"
#include "ui/widgets.h"
#include "util/buf.h"
#include "util/url.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

enum { AUDIT_PAGE = 50 };

/* A filter value from the query, or NULL when empty or unusable. */
static const char *filter(struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	if (!v || !*v || strlen(v) > 254 || !utf8_valid_text(v, strlen(v)))
		return NULL;
	return v;
}

static void add_param(struct buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	buf_putc(b, '&');
	buf_puts(b, name);
	buf_putc(b, '=');
	url_encode(b, value);
}

int page_audit(struct req *r, struct resp *w)
{
	struct html h;
	struct layout l = { .title = "Audit log", .current = NAV_AUDIT, .r = r };
	struct audit_filter f = { .limit = AUDIT_PAGE };
	struct audit_entry *e;
	const char *before = req_query(r, "before");
	struct errinfo lerr;
	size_t n, i;
	int rc;

	f.actor = filter(r, "actor");
	f.action = filter(r, "action");
	f.object_type = filter(r, "object_type");
	f.since = filter(r, "since");
	f.before_id = before ? strtoll(before, NULL, 10) : 0;
	if (f.before_id < 0)
		f.before_id = 0;
	errinfo_clear(&lerr);
	rc = store_audit_list(req_db(r), &r->arena, &f, &e, &n, &lerr);
	if (rc)
		return rc;
	html_init(&h, &w->body);
	layout_begin(&h, &l);
	html_elem(&h, EL_H1, "Audit log", ATTR__END);
	html_elem(&h, EL_P, "Every change, sign-in and role change, newest "
		  "first. Times are UTC.", ATTR_CLASS, "usa-intro", ATTR__END);

	html_open(&h, EL_FORM, ATTR_METHOD, "get", ATTR_ACTION, "/admin/audit",
		  ATTR_CLASS, "usa-form usa-form--large", ATTR__END);
	html_open(&h, EL_FIELDSET, ATTR_CLASS, "usa-fieldset", ATTR__END);
	html_elem(&h, EL_LEGEND, "Filter", ATTR_CLASS, "usa-legend", ATTR__END);
	ui_input(&h, &(struct ui_field){ .name = "actor", .label = "Who (email)",
		 .value = f.actor, .maxlength = 254 }, NULL);
	ui_input(&h, &(struct ui_field){ .name = "action", .label = "Action",
		 .value = f.action, .hint = "create, update, delete, sign-in, "
		 "sign-in-failed, sign-out, role-change, password, revoke",
		 .maxlength = 64 }, NULL);
	ui_input(&h, &(struct ui_field){ .name = "object_type",
		 .label = "Object type", .value = f.object_type,
		 .hint = "org, service, user, grant, token", .maxlength = 64 },
		 NULL);
	ui_input(&h, &(struct ui_field){ .name = "since", .label = "Since",
		 .value = f.since, .hint = "A date such as 2026-10-01.",
		 .maxlength = 32 }, NULL);
	html_elem(&h, EL_BUTTON, "Filter", ATTR_TYPE, "submit", ATTR_CLASS,
		  "usa-button", ATTR__END);
	html_close(&h);
	html_close(&h);

	if (!n) {
		html_elem(&h, EL_P, f.actor || f.action || f.object_type ||
			  f.since || f.before_id ? "No entries match these "
			  "filters." : "Nothing has been recorded yet.",
			  ATTR_CLASS, "usa-hint", ATTR__END);
	} else {
		html_open(&h, EL_DIV, ATTR_CLASS, "usa-table-container--scrollable",
			  ATTR_TABINDEX, "0", ATTR__END);
		ui_table_begin(&h, "usa-table usa-table--compact", "Audit entries",
			       (const char *const[]){ "When", "Who", "Via", "Action", "Object", "What changed", "Client", NULL });
		for (i = 0; i < n; i++) {
			html_open(&h, EL_TR, ATTR__END);
			html_open(&h, EL_TD, ATTR__END);
			html_elem(&h, EL_TIME, e[i].at, ATTR_DATETIME, e[i].at,
				  ATTR__END);
			html_close(&h);
			html_elem(&h, EL_TD, e[i].actor, ATTR__END);
			html_elem(&h, EL_TD, e[i].via, ATTR__END);
			html_elem(&h, EL_TD, e[i].action, ATTR__END);
			html_open(&h, EL_TD, ATTR__END);
			html_text(&h, e[i].object_type);
			if (e[i].object_id)
				html_printf(&h, " %lld", (long long)e[i].object_id);
			html_close(&h);
			html_open(&h, EL_TD, ATTR__END);
			html_elem(&h, EL_CODE, e[i].changes, ATTR__END);
			html_close(&h);
			html_elem(&h, EL_TD, e[i].client, ATTR__END);
			html_close(&h);
		}
		html_close(&h);
		html_close(&h);
		html_close(&h);
		if (n == AUDIT_PAGE) {
			struct buf href;
			char *link;
			buf_init(&href, 4096);
			buf_printf(&href, "/admin/audit?before=%lld",
				   (long long)e[n - 1].id);
			add_param(&href, "actor", f.actor);
			add_param(&href, "action", f.action);
			add_param(&href, "object_type", f.object_type);
			add_param(&href, "since", f.since);
			link = arena_strdup(&r->arena, buf_str(&href));
			buf_release(&href);
			html_open(&h, EL_P, ATTR__END);
			html_elem(&h, EL_A, "Older entries", ATTR_HREF, link,
				  ATTR_CLASS, "usa-link", ATTR__END);
			html_close(&h);
		}
	}
	layout_end(&h, &l);
	return layout_respond(&h, w, 200);
}
