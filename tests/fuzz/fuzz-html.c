/* fuzz-html.c: html_textn and html_open with attribute values from arbitrary bytes must produce exactly the escaped markup expected, valid UTF-8 with no raw < > " ' or NUL. */
#include "ui/html.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/url.h"
#include "util/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* Length of the well-formed UTF-8 sequence (RFC 3629, Unicode table 3-7)
 * at s[0..len), 0 when none starts there.  Independent of utf8.c. */
static size_t ref_seq_len(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

/* The documented escaping, written out plainly. */
static void ref_escape(struct buf *b, const unsigned char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		unsigned char c = s[i];
		if (c >= 0x80) {
			n = ref_seq_len(s + i, len - i);
			if (n) {
				buf_append(b, s + i, n);
				i += n;
				continue;
			}
			buf_puts(b, "\xEF\xBF\xBD");
		} else if (c == '&') {
			buf_puts(b, "&amp;");
		} else if (c == '<') {
			buf_puts(b, "&lt;");
		} else if (c == '>') {
			buf_puts(b, "&gt;");
		} else if (c == '"') {
			buf_puts(b, "&quot;");
		} else if (c == '\'') {
			buf_puts(b, "&#39;");
		} else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			   c == 0x7F) {
			buf_puts(b, "\xEF\xBF\xBD");
		} else {
			buf_putc(b, (char)c);
		}
		i++;
	}
}

/* Escaped text: valid UTF-8 without markup characters, NUL or controls. */
static void check_escaped(const char *s, size_t len)
{
	size_t i;

	CHECK(utf8_valid(s, len));
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		CHECK(c != '<' && c != '>' && c != '"' && c != '\'' && c != 0);
		CHECK(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
		CHECK(c != 0x7F);
	}
}

static void check_text(const uint8_t *data, size_t size)
{
	struct buf out, ref;
	struct html h;

	buf_init(&out, 0);
	buf_init(&ref, 0);
	html_init(&h, &out);
	html_textn(&h, (const char *)data, size);
	CHECK(html_finish(&h) == 0);
	CHECK(out.err == 0);
	check_escaped(buf_str(&out), out.len);
	CHECK(strlen(buf_str(&out)) == out.len);

	ref_escape(&ref, data, size);
	CHECK(ref.err == 0);
	CHECK(out.len == ref.len);
	CHECK(memcmp(buf_str(&out), buf_str(&ref), out.len) == 0);
	buf_release(&ref);
	buf_release(&out);

	/* Under a size cap the writer fails cleanly with ERR_TOO_LARGE. */
	if (size >= 2) {
		buf_init(&out, size / 2);
		html_init(&h, &out);
		html_textn(&h, (const char *)data, size);
		CHECK(html_finish(&h) == ERR_TOO_LARGE);
		CHECK(out.len <= size / 2);
		buf_release(&out);
	}
}

static void check_link(const char *copy)
{
	static const char open_href[] = "<a href=\"", mid[] = "\" title=\"",
			  end[] = "\"></a>";
	struct buf out, esc, want;
	struct html h;
	int rc;

	buf_init(&out, 0);
	html_init(&h, &out);
	html_open(&h, EL_A, ATTR_HREF, copy, ATTR_TITLE, copy, ATTR__END);
	rc = html_finish(&h);
	if (!url_is_safe_href(copy)) {
		/* An unsafe href fails the whole document. */
		CHECK(rc == ERR_INVALID);
		buf_release(&out);
		return;
	}
	CHECK(rc == 0);

	buf_init(&esc, 0);
	ref_escape(&esc, (const unsigned char *)copy, strlen(copy));
	check_escaped(buf_str(&esc), esc.len);
	buf_init(&want, 0);
	buf_puts(&want, open_href);
	buf_append(&want, buf_str(&esc), esc.len);
	buf_puts(&want, mid);
	buf_append(&want, buf_str(&esc), esc.len);
	buf_puts(&want, end);
	CHECK(want.err == 0);
	CHECK(out.len == want.len);
	CHECK(memcmp(buf_str(&out), buf_str(&want), out.len) == 0);
	/* Exactly the four quotes of the two attributes. */
	{
		size_t i, quotes = 0;
		for (i = 0; i < out.len; i++)
			quotes += out.data[i] == '"';
		CHECK(quotes == 4);
	}
	buf_release(&want);
	buf_release(&esc);
	buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';

	check_text(data, size);
	check_link(copy);

	free(copy);
	return 0;
}
