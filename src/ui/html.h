/* html.h: an HTML writer that escapes by construction. */
#ifndef CXM_HTML_H
#define CXM_HTML_H

#include <stddef.h>

#include "util/buf.h"

/* Elements the writer can emit.  Names come only from this list, never from
 * input.  Void elements (meta, link, img, input, br, hr) close themselves. */
enum html_el {
	EL_A, EL_ABBR, EL_BODY, EL_BR, EL_BUTTON, EL_CAPTION, EL_CODE, EL_DD,
	EL_DETAILS, EL_DIV, EL_DL, EL_DT, EL_EM, EL_FIELDSET, EL_FOOTER,
	EL_FORM, EL_H1, EL_H2, EL_H3, EL_H4, EL_HEAD, EL_HEADER, EL_HR,
	EL_HTML, EL_IMG, EL_INPUT, EL_LABEL, EL_LEGEND, EL_LI, EL_LINK,
	EL_MAIN, EL_META, EL_NAV, EL_OL, EL_OPTION, EL_P, EL_PRE, EL_SCRIPT,
	EL_SECTION, EL_SELECT, EL_SMALL, EL_SPAN, EL_STRONG, EL_SUMMARY,
	EL_TABLE, EL_TBODY, EL_TD, EL_TEXTAREA, EL_TH, EL_THEAD, EL_TIME,
	EL_TITLE, EL_TR, EL_UL,
	EL__MAX
};

/* Attributes.  There is deliberately no `style` and no `on...` handler:
 * the Content-Security-Policy forbids inline style and script.  href and
 * src values must pass url_is_safe_href() or the writer fails. */
enum html_attr {
	ATTR__END = 0,
	ATTR_ACTION, ATTR_ALT, ATTR_ARIA_CONTROLS, ATTR_ARIA_CURRENT,
	ATTR_ARIA_DESCRIBEDBY, ATTR_ARIA_EXPANDED, ATTR_ARIA_HIDDEN,
	ATTR_ARIA_LABEL, ATTR_ARIA_LABELLEDBY, ATTR_ARIA_LIVE,
	ATTR_AUTOCOMPLETE, ATTR_AUTOFOCUS, ATTR_CHARSET, ATTR_CHECKED, ATTR_CLASS,
	ATTR_CONTENT, ATTR_DATETIME, ATTR_DEFER, ATTR_DISABLED, ATTR_FOR,
	ATTR_HEIGHT, ATTR_HIDDEN, ATTR_HREF, ATTR_ID, ATTR_LANG,
	ATTR_MAXLENGTH, ATTR_METHOD, ATTR_NAME, ATTR_REL, ATTR_REQUIRED,
	ATTR_ROLE, ATTR_SCOPE, ATTR_SELECTED, ATTR_SRC, ATTR_TABINDEX,
	ATTR_TITLE, ATTR_TYPE, ATTR_VALUE, ATTR_WIDTH,
	ATTR__MAX
};

enum { HTML_DEPTH_MAX = 64 };

/* Writes into a caller-owned buf.  Keeps the first error; after it, every
 * call does nothing. */
struct html {
	struct buf *out;
	enum html_el stack[HTML_DEPTH_MAX];
	size_t depth;
	int err;
};

/* Starts writing into out (which keeps its own size cap). */
void html_init(struct html *h, struct buf *out);

/* "<!DOCTYPE html>\n". */
void html_doctype(struct html *h);

/* Opens el with attribute/value pairs ending in ATTR__END, e.g.
 * html_open(h, EL_A, ATTR_HREF, "/x", ATTR_CLASS, "usa-link", ATTR__END).
 * A NULL value leaves the attribute out; boolean attributes (checked,
 * disabled, hidden, required, selected, defer) are written bare when the
 * value is non-NULL (also autofocus).  Values are always quoted and escaped. */
void html_open(struct html *h, enum html_el el, ...);

/* Closes the innermost open element. */
void html_close(struct html *h);

/* Closes open elements until `depth` remain (see html_depth). */
void html_close_to(struct html *h, size_t depth);

/* The number of open elements. */
size_t html_depth(const struct html *h);

/* Escaped text: & < > " ' become entities; NUL, other C0 controls (but tab,
 * LF, CR), DEL and every byte of invalid UTF-8 become U+FFFD. */
void html_text(struct html *h, const char *s);
void html_textn(struct html *h, const char *s, size_t len);

/* Escaped printf text. */
void html_printf(struct html *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Opens el with attributes, writes escaped text, closes it. */
void html_elem(struct html *h, enum html_el el, const char *text, ...);

/* Raw markup from a string literal only: a non-literal fails to compile. */
#define HTML_LIT(h, s) html_raw_literal_((h), "" s "", sizeof(s) - 1)
void html_raw_literal_(struct html *h, const char *s, size_t len);

/* Closes every open element; returns 0 or the first error (ERR_INVALID
 * for an unsafe URL or unbalanced close, ERR_TOO_LARGE/ERR_NOMEM from the
 * buffer). */
int html_finish(struct html *h);

#endif
