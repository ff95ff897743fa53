/* widgets.h: USWDS building blocks for pages: alerts, form fields with errors, buttons. */
#ifndef CXM_WIDGETS_H
#define CXM_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"
#include "http/resp.h"
#include "ui/html.h"
#include "util/err.h"

/* A USWDS alert; kind is "success", "error", "warning" or "info". */
void ui_alert(struct html *h, const char *kind, const char *heading,
	      const char *text);

/* A form field's name and the label people see, for error summaries;
 * lists end with {NULL, NULL}. */
struct ui_label { const char *field, *label; };

/* The error summary at the top of a form that failed: the message and one
 * link per field detail, pointing at the field ("#f-NAME") and naming it
 * by its visible label ("Name is required").  Takes focus when the page
 * loads (autofocus) so screen readers announce it.  Nothing when ei has
 * no message. */
void ui_error_summary(struct html *h, const struct errinfo *ei,
		      const struct ui_label *labels);

/* The first detail message for field; NULL when none. */
const char *ui_field_error(const struct errinfo *ei, const char *field);

/* The hidden CSRF field of the caller's session (or of the anonymous
 * double-submit token when r->csrf is NULL and token is given). */
void ui_csrf(struct html *h, const struct req *r, const char *token);

/* A labelled text input with hint and error.  id is "f-" + name. */
struct ui_field {
	const char *name, *label, *value;
	const char *type;            /* "text" when NULL */
	const char *hint;            /* NULL: none */
	const char *autocomplete;    /* NULL: none */
	bool required;
	int maxlength;               /* 0: none */
};
void ui_input(struct html *h, const struct ui_field *f,
	      const struct errinfo *ei);
void ui_textarea(struct html *h, const struct ui_field *f,
		 const struct errinfo *ei);

/* A select with options values[i] shown as labels[i] (labels NULL: the
 * values); `blank` adds a first empty option with that text. */
void ui_select(struct html *h, const struct ui_field *f,
	       const char *const *values, const char *const *labels,
	       size_t n, const char *blank, const struct errinfo *ei);

/* A USWDS checkbox; id must be unique on the page. */
void ui_checkbox(struct html *h, const char *id, const char *name,
		 const char *value, const char *label, bool checked);

/* A one-button form posting to action with the CSRF field and an optional
 * hidden name/value pair; cls is added to usa-button. */
void ui_post_button(struct html *h, const struct req *r, const char *action,
		    const char *label, const char *cls,
		    const char *hidden_name, const char *hidden_value);

/* Something shown exactly once after a redirect (a new API token, a made-up
 * password): kept in a short-lived HttpOnly cookie limited to `path`, never
 * in the database, so a reload cannot repeat the action that made it.
 * value must be cookie-safe ([A-Za-z0-9_-]). */
int ui_once_set(struct req *r, struct resp *w, const char *path,
		const char *value);
/* The value set by ui_once_set for this path, clearing the cookie; NULL
 * when none. */
const char *ui_once_take(struct req *r, struct resp *w, const char *path);

/* Opens a form posting to action (class cls, id NULL for none) with the
 * session's CSRF field and a fieldset under a large legend; ui_form_end
 * adds the submit button and closes both. */
void ui_form_begin(struct html *h, const struct req *r, const char *action,
		   const char *cls, const char *id, const char *legend);
void ui_form_end(struct html *h, const char *button);

/* Opens a table with its caption and a header row of column headings
 * (NULL-terminated), and opens its body: the caller writes the rows, then
 * closes twice (tbody, table). */
void ui_table_begin(struct html *h, const char *cls, const char *caption,
		    const char *const *headings);

/* Makes w a 303 redirect to location (a local path). */
int ui_redirect(struct req *r, struct resp *w, const char *location);

/* Formats a Unix time as "YYYY-MM-DD HH:MM UTC" into the arena; "never"
 * for 0. */
const char *ui_time(struct req *r, long long t);

#endif
