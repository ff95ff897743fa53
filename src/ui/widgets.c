/* widgets.c: USWDS form fields, alerts and buttons over the HTML writer. */
#include "widgets.h"

#include "http/auth.h"
#include "util/arena.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void ui_alert(struct html *h, const char *kind, const char *heading,
	      const char *text)
{
	char cls[64];

	snprintf(cls, sizeof cls, "usa-alert usa-alert--%s", kind);
	html_open(h, EL_DIV, ATTR_CLASS, cls, ATTR_ROLE,
		  strcmp(kind, "error") == 0 ? "alert" : "status", ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "usa-alert__body", ATTR__END);
	if (heading)
		html_elem(h, EL_H2, heading, ATTR_CLASS, "usa-alert__heading",
			  ATTR__END);
	if (text)
		html_elem(h, EL_P, text, ATTR_CLASS, "usa-alert__text",
			  ATTR__END);
	html_close(h);
	html_close(h);
}

const char *ui_field_error(const struct errinfo *ei, const char *field)
{
	size_t i;

	for (i = 0; ei && i < ei->ndetails; i++)
		if (strcmp(ei->details[i].field, field) == 0)
			return ei->details[i].message;
	return NULL;
}

static const char *label_for(const struct ui_label *labels, const char *field)
{
	for (; labels && labels->field; labels++)
		if (strcmp(labels->field, field) == 0)
			return labels->label;
	return field;
}

void ui_error_summary(struct html *h, const struct errinfo *ei,
		      const struct ui_label *labels)
{
	size_t i;
	char href[ERRINFO_FIELD_MAX + 4];

	if (!ei || !ei->message[0])
		return;
	html_open(h, EL_DIV, ATTR_CLASS, "usa-alert usa-alert--error",
		  ATTR_ROLE, "alert", ATTR_ID, "error-summary",
		  ATTR_TABINDEX, "-1", ATTR_AUTOFOCUS, "", ATTR__END);
	html_open(h, EL_DIV, ATTR_CLASS, "usa-alert__body", ATTR__END);
	html_elem(h, EL_H2, "There is a problem", ATTR_CLASS,
		  "usa-alert__heading", ATTR__END);
	html_elem(h, EL_P, ei->message, ATTR_CLASS, "usa-alert__text",
		  ATTR__END);
	if (ei->ndetails) {
		html_open(h, EL_UL, ATTR_CLASS, "usa-list", ATTR__END);
		for (i = 0; i < ei->ndetails; i++) {
			html_open(h, EL_LI, ATTR__END);
			if (ei->details[i].field[0]) {
				snprintf(href, sizeof href, "#f-%s",
					 ei->details[i].field);
				html_open(h, EL_A, ATTR_HREF, href, ATTR_CLASS,
					  "usa-link", ATTR__END);
				html_text(h, label_for(labels, ei->details[i].field));
				html_text(h, " ");
				html_text(h, ei->details[i].message);
				html_close(h);
			} else {
				html_text(h, ei->details[i].message);
			}
			html_close(h);
		}
		html_close(h);
	}
	html_close(h);
	html_close(h);
}

void ui_csrf(struct html *h, const struct req *r, const char *token)
{
	const char *v = r->csrf ? r->csrf : token;

	if (v)
		html_open(h, EL_INPUT, ATTR_TYPE, "hidden", ATTR_NAME, "csrf",
			  ATTR_VALUE, v, ATTR__END);
}

/* Opens the form group with label, hint and error; returns the error. */
static const char *field_start(struct html *h, const struct ui_field *f,
			       const struct errinfo *ei, char *id,
			       size_t idcap, char *described, size_t dcap)
{
	const char *err = ui_field_error(ei, f->name);
	char hint_id[160], err_id[160];

	snprintf(id, idcap, "f-%s", f->name);
	snprintf(hint_id, sizeof hint_id, "%s-hint", id);
	snprintf(err_id, sizeof err_id, "%s-error", id);
	described[0] = '\0';
	if (f->hint)
		snprintf(described, dcap, "%s", hint_id);
	if (err)
		snprintf(described + strlen(described), dcap - strlen(described),
			 "%s%s", described[0] ? " " : "", err_id);
	html_open(h, EL_DIV, ATTR_CLASS, err ? "usa-form-group usa-form-group--error"
					     : "usa-form-group", ATTR__END);
	html_open(h, EL_LABEL, ATTR_CLASS, err ? "usa-label usa-label--error"
					       : "usa-label",
		  ATTR_FOR, id, ATTR__END);
	html_text(h, f->label);
	if (f->required) {
		html_text(h, " ");
		html_elem(h, EL_ABBR, "*", ATTR_TITLE, "required", ATTR_CLASS,
			  "usa-hint usa-hint--required", ATTR__END);
	}
	html_close(h);
	if (f->hint)
		html_elem(h, EL_DIV, f->hint, ATTR_CLASS, "usa-hint", ATTR_ID,
			  hint_id, ATTR__END);
	if (err)
		html_elem(h, EL_SPAN, err, ATTR_CLASS, "usa-error-message",
			  ATTR_ID, err_id, ATTR_ROLE, "alert", ATTR__END);
	return err;
}

void ui_input(struct html *h, const struct ui_field *f,
	      const struct errinfo *ei)
{
	char id[140], described[340], maxlen[16];
	const char *err = field_start(h, f, ei, id, sizeof id, described,
				      sizeof described);

	snprintf(maxlen, sizeof maxlen, "%d", f->maxlength);
	html_open(h, EL_INPUT, ATTR_CLASS, err ? "usa-input usa-input--error"
					       : "usa-input",
		  ATTR_ID, id, ATTR_NAME, f->name,
		  ATTR_TYPE, f->type ? f->type : "text",
		  ATTR_VALUE, f->value,
		  ATTR_AUTOCOMPLETE, f->autocomplete,
		  ATTR_MAXLENGTH, f->maxlength ? maxlen : NULL,
		  ATTR_REQUIRED, f->required ? "" : NULL,
		  ATTR_ARIA_DESCRIBEDBY, described[0] ? described : NULL,
		  ATTR__END);
	html_close(h);
}

void ui_textarea(struct html *h, const struct ui_field *f,
		 const struct errinfo *ei)
{
	char id[140], described[340], maxlen[16];
	const char *err = field_start(h, f, ei, id, sizeof id, described,
				      sizeof described);

	snprintf(maxlen, sizeof maxlen, "%d", f->maxlength);
	html_open(h, EL_TEXTAREA, ATTR_CLASS, err ? "usa-textarea usa-input--error"
						  : "usa-textarea",
		  ATTR_ID, id, ATTR_NAME, f->name,
		  ATTR_MAXLENGTH, f->maxlength ? maxlen : NULL,
		  ATTR_REQUIRED, f->required ? "" : NULL,
		  ATTR_ARIA_DESCRIBEDBY, described[0] ? described : NULL,
		  ATTR__END);
	html_text(h, f->value);
	html_close(h);
	html_close(h);
}

void ui_select(struct html *h, const struct ui_field *f,
	       const char *const *values, const char *const *labels,
	       size_t n, const char *blank, const struct errinfo *ei)
{
	char id[140], described[340];
	const char *err = field_start(h, f, ei, id, sizeof id, described,
				      sizeof described);
	size_t i;

	html_open(h, EL_SELECT, ATTR_CLASS, err ? "usa-select usa-input--error"
						: "usa-select",
		  ATTR_ID, id, ATTR_NAME, f->name,
		  ATTR_REQUIRED, f->required ? "" : NULL,
		  ATTR_ARIA_DESCRIBEDBY, described[0] ? described : NULL,
		  ATTR__END);
	if (blank)
		html_elem(h, EL_OPTION, blank, ATTR_VALUE, "", ATTR__END);
	for (i = 0; i < n; i++)
		html_elem(h, EL_OPTION, labels ? labels[i] : values[i],
			  ATTR_VALUE, values[i],
			  ATTR_SELECTED, f->value && strcmp(f->value, values[i]) == 0
					 ? "" : NULL, ATTR__END);
	html_close(h);
	html_close(h);
}

void ui_checkbox(struct html *h, const char *id, const char *name,
		 const char *value, const char *label, bool checked)
{
	html_open(h, EL_DIV, ATTR_CLASS, "usa-checkbox", ATTR__END);
	html_open(h, EL_INPUT, ATTR_CLASS, "usa-checkbox__input", ATTR_ID, id,
		  ATTR_TYPE, "checkbox", ATTR_NAME, name, ATTR_VALUE, value,
		  ATTR_CHECKED, checked ? "" : NULL, ATTR__END);
	html_elem(h, EL_LABEL, label, ATTR_CLASS, "usa-checkbox__label",
		  ATTR_FOR, id, ATTR__END);
	html_close(h);
}

void ui_post_button(struct html *h, const struct req *r, const char *action,
		    const char *label, const char *cls,
		    const char *hidden_name, const char *hidden_value)
{
	char c[96];

	snprintf(c, sizeof c, "usa-button%s%s", cls ? " " : "", cls ? cls : "");
	html_open(h, EL_FORM, ATTR_METHOD, "post", ATTR_ACTION, action,
		  ATTR_CLASS, "cxm-inline-form", ATTR__END);
	ui_csrf(h, r, NULL);
	if (hidden_name)
		html_open(h, EL_INPUT, ATTR_TYPE, "hidden", ATTR_NAME,
			  hidden_name, ATTR_VALUE, hidden_value, ATTR__END);
	html_elem(h, EL_BUTTON, label, ATTR_TYPE, "submit", ATTR_CLASS, c,
		  ATTR__END);
	html_close(h);
}

#define ONCE_COOKIE "cxm_once"

int ui_once_set(struct req *r, struct resp *w, const char *path,
		const char *value)
{
	const char *c = arena_printf(&r->arena, ONCE_COOKIE "=%s; Path=%s; "
				     "Max-Age=300; HttpOnly; SameSite=Strict%s",
				     value, path, r->https ? "; Secure" : "");

	return c ? resp_header(w, "Set-Cookie", c) : ERR_NOMEM;
}

const char *ui_once_take(struct req *r, struct resp *w, const char *path)
{
	const char *v = auth_cookie(r, ONCE_COOKIE);
	const char *clear;

	if (!v || !*v)
		return NULL;
	clear = arena_printf(&r->arena, ONCE_COOKIE "=; Path=%s; Max-Age=0; "
			     "HttpOnly; SameSite=Strict%s", path,
			     r->https ? "; Secure" : "");
	if (clear)
		resp_header(w, "Set-Cookie", clear);
	resp_header(w, "Cache-Control", "no-store");
	if (strlen(v) > 100 || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(v))
		return NULL;
	return arena_strdup(&r->arena, v);
}

void ui_form_begin(struct html *h, const struct req *r, const char *action,
		   const char *cls, const char *id, const char *legend)
{
	html_open(h, EL_FORM, ATTR_METHOD, "post", ATTR_ACTION, action,
		  ATTR_CLASS, cls, ATTR_ID, id, ATTR__END);
	ui_csrf(h, r, NULL);
	html_open(h, EL_FIELDSET, ATTR_CLASS, "usa-fieldset", ATTR__END);
	html_elem(h, EL_LEGEND, legend, ATTR_CLASS,
		  "usa-legend usa-legend--large", ATTR__END);
}

void ui_form_end(struct html *h, const char *button)
{
	html_elem(h, EL_BUTTON, button, ATTR_TYPE, "submit", ATTR_CLASS,
		  "usa-button", ATTR__END);
	html_close(h);
	html_close(h);
}

void ui_table_begin(struct html *h, const char *cls, const char *caption,
		    const char *const *headings)
{
	html_open(h, EL_TABLE, ATTR_CLASS, cls, ATTR__END);
	html_elem(h, EL_CAPTION, caption, ATTR__END);
	html_open(h, EL_THEAD, ATTR__END);
	html_open(h, EL_TR, ATTR__END);
	for (; *headings; headings++)
		html_elem(h, EL_TH, *headings, ATTR_SCOPE, "col", ATTR__END);
	html_close(h);
	html_close(h);
	html_open(h, EL_TBODY, ATTR__END);
}

int ui_redirect(struct req *r, struct resp *w, const char *location)
{
	(void)r;
	w->status = 303;
	w->content_type = "text/plain; charset=utf-8";
	buf_puts(&w->body, "See ");
	buf_puts(&w->body, location);
	buf_putc(&w->body, '\n');
	return resp_header(w, "Location", location);
}

const char *ui_time(struct req *r, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	if (t <= 0)
		return "never";
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
	return arena_strdup(&r->arena, buf);
}
