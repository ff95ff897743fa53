/* html.c: escaping HTML writer with an element stack and a sticky error. */
#include "html.h"

#include "util/err.h"
#include "util/url.h"
#include "util/utf8.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const EL_NAMES[EL__MAX] = {
	[EL_A] = "a", [EL_ABBR] = "abbr", [EL_BODY] = "body", [EL_BR] = "br",
	[EL_BUTTON] = "button", [EL_CAPTION] = "caption", [EL_CODE] = "code",
	[EL_DD] = "dd", [EL_DETAILS] = "details", [EL_DIV] = "div",
	[EL_DL] = "dl", [EL_DT] = "dt", [EL_EM] = "em",
	[EL_FIELDSET] = "fieldset", [EL_FOOTER] = "footer",
	[EL_FORM] = "form", [EL_H1] = "h1", [EL_H2] = "h2", [EL_H3] = "h3",
	[EL_H4] = "h4", [EL_HEAD] = "head", [EL_HEADER] = "header",
	[EL_HR] = "hr", [EL_HTML] = "html", [EL_IMG] = "img",
	[EL_INPUT] = "input", [EL_LABEL] = "label", [EL_LEGEND] = "legend",
	[EL_LI] = "li", [EL_LINK] = "link", [EL_MAIN] = "main",
	[EL_META] = "meta", [EL_NAV] = "nav", [EL_OL] = "ol",
	[EL_OPTION] = "option", [EL_P] = "p", [EL_PRE] = "pre",
	[EL_SCRIPT] = "script", [EL_SECTION] = "section",
	[EL_SELECT] = "select", [EL_SMALL] = "small", [EL_SPAN] = "span",
	[EL_STRONG] = "strong", [EL_SUMMARY] = "summary",
	[EL_TABLE] = "table", [EL_TBODY] = "tbody", [EL_TD] = "td",
	[EL_TEXTAREA] = "textarea", [EL_TH] = "th", [EL_THEAD] = "thead",
	[EL_TIME] = "time", [EL_TITLE] = "title", [EL_TR] = "tr",
	[EL_UL] = "ul",
};

static const char *const ATTR_NAMES[ATTR__MAX] = {
	[ATTR_ACTION] = "action", [ATTR_ALT] = "alt",
	[ATTR_ARIA_CONTROLS] = "aria-controls",
	[ATTR_ARIA_CURRENT] = "aria-current",
	[ATTR_ARIA_DESCRIBEDBY] = "aria-describedby",
	[ATTR_ARIA_EXPANDED] = "aria-expanded",
	[ATTR_ARIA_HIDDEN] = "aria-hidden", [ATTR_ARIA_LABEL] = "aria-label",
	[ATTR_ARIA_LABELLEDBY] = "aria-labelledby",
	[ATTR_ARIA_LIVE] = "aria-live", [ATTR_AUTOCOMPLETE] = "autocomplete",
	[ATTR_CHARSET] = "charset", [ATTR_CHECKED] = "checked",
	[ATTR_CLASS] = "class", [ATTR_CONTENT] = "content",
	[ATTR_DATETIME] = "datetime", [ATTR_DEFER] = "defer",
	[ATTR_DISABLED] = "disabled", [ATTR_FOR] = "for",
	[ATTR_HEIGHT] = "height", [ATTR_HIDDEN] = "hidden",
	[ATTR_HREF] = "href", [ATTR_ID] = "id", [ATTR_LANG] = "lang",
	[ATTR_MAXLENGTH] = "maxlength", [ATTR_METHOD] = "method",
	[ATTR_NAME] = "name", [ATTR_REL] = "rel", [ATTR_REQUIRED] = "required",
	[ATTR_ROLE] = "role", [ATTR_SCOPE] = "scope",
	[ATTR_SELECTED] = "selected", [ATTR_SRC] = "src",
	[ATTR_TABINDEX] = "tabindex", [ATTR_TITLE] = "title",
	[ATTR_TYPE] = "type", [ATTR_VALUE] = "value", [ATTR_WIDTH] = "width",
};

static bool is_void(enum html_el el)
{
	return el == EL_BR || el == EL_HR || el == EL_IMG || el == EL_INPUT ||
	       el == EL_LINK || el == EL_META;
}

static bool is_boolean(enum html_attr a)
{
	return a == ATTR_AUTOFOCUS || a == ATTR_CHECKED || a == ATTR_DEFER || a == ATTR_DISABLED ||
	       a == ATTR_HIDDEN || a == ATTR_REQUIRED || a == ATTR_SELECTED;
}

static void fail(struct html *h, int err)
{
	if (!h->err)
		h->err = err;
}

static bool ok(struct html *h)
{
	if (!h->err && h->out->err)
		h->err = h->out->err;
	return h->err == 0;
}

void html_init(struct html *h, struct buf *out)
{
	h->out = out;
	h->depth = 0;
	h->err = 0;
}

void html_raw_literal_(struct html *h, const char *s, size_t len)
{
	if (ok(h))
		buf_append(h->out, s, len);
}

void html_doctype(struct html *h)
{
	HTML_LIT(h, "<!DOCTYPE html>\n");
}

void html_textn(struct html *h, const char *s, size_t len)
{
	static const char REPLACEMENT[] = "\xEF\xBF\xBD";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, n;
	uint32_t cp;

	if (!ok(h) || !s)
		return;
	/* Copies runs of safe bytes at once; escapes or replaces the rest. */
	while (i < len) {
		unsigned char c = p[i];
		const char *rep = NULL;

		if (c >= 0x80) {
			n = utf8_decode(p + i, len - i, &cp);
			if (n) {
				i += n;
				run += n;
				continue;
			}
			rep = REPLACEMENT;
		} else if (c == '&') {
			rep = "&amp;";
		} else if (c == '<') {
			rep = "&lt;";
		} else if (c == '>') {
			rep = "&gt;";
		} else if (c == '"') {
			rep = "&quot;";
		} else if (c == '\'') {
			rep = "&#39;";
		} else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			   c == 0x7F) {
			rep = REPLACEMENT;
		}
		if (!rep) {
			i++;
			run++;
			continue;
		}
		buf_append(h->out, p + i - run, run);
		buf_puts(h->out, rep);
		run = 0;
		i++;
	}
	buf_append(h->out, p + i - run, run);
	ok(h);
}

void html_text(struct html *h, const char *s)
{
	if (s)
		html_textn(h, s, strlen(s));
}

void html_printf(struct html *h, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		fail(h, ERR_TOO_LARGE);
		return;
	}
	html_textn(h, tmp, (size_t)n);
}

static void open_va(struct html *h, enum html_el el, va_list ap)
{
	enum html_attr a;
	const char *v;

	if (!ok(h))
		return;
	if ((unsigned)el >= EL__MAX) {
		fail(h, ERR_INTERNAL);
		return;
	}
	if (!is_void(el) && h->depth >= HTML_DEPTH_MAX) {
		fail(h, ERR_INTERNAL);
		return;
	}
	buf_putc(h->out, '<');
	buf_puts(h->out, EL_NAMES[el]);
	while ((a = (enum html_attr)va_arg(ap, int)) != ATTR__END) {
		v = va_arg(ap, const char *);
		if ((unsigned)a >= ATTR__MAX) {
			fail(h, ERR_INTERNAL);
			return;
		}
		if (!v)
			continue;
		if ((a == ATTR_HREF || a == ATTR_SRC || a == ATTR_ACTION) &&
		    !url_is_safe_href(v)) {
			fail(h, ERR_INVALID);
			return;
		}
		buf_putc(h->out, ' ');
		buf_puts(h->out, ATTR_NAMES[a]);
		if (is_boolean(a))
			continue;
		buf_append(h->out, "=\"", 2);
		html_text(h, v);
		buf_putc(h->out, '"');
	}
	buf_putc(h->out, '>');
	if (!is_void(el))
		h->stack[h->depth++] = el;
	ok(h);
}

void html_open(struct html *h, enum html_el el, ...)
{
	va_list ap;

	va_start(ap, el);
	open_va(h, el, ap);
	va_end(ap);
}

void html_close(struct html *h)
{
	if (!ok(h))
		return;
	if (h->depth == 0) {
		fail(h, ERR_INVALID);
		return;
	}
	h->depth--;
	buf_append(h->out, "</", 2);
	buf_puts(h->out, EL_NAMES[h->stack[h->depth]]);
	buf_putc(h->out, '>');
	ok(h);
}

void html_close_to(struct html *h, size_t depth)
{
	while (ok(h) && h->depth > depth)
		html_close(h);
}

size_t html_depth(const struct html *h)
{
	return h->depth;
}

void html_elem(struct html *h, enum html_el el, const char *text, ...)
{
	va_list ap;
	size_t before = h->depth;

	va_start(ap, text);
	open_va(h, el, ap);
	va_end(ap);
	if (is_void(el) || !ok(h) || h->depth == before)
		return;
	html_text(h, text);
	html_close(h);
}

int html_finish(struct html *h)
{
	html_close_to(h, 0);
	ok(h);
	return h->err;
}
