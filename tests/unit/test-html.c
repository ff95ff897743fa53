/* test-html.c: the HTML writer, byte-exact on hostile text, attributes, nesting, unsafe URLs and sticky errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ui/html.h"
#include "util/buf.h"
#include "util/err.h"

#define FFFD "\xEF\xBF\xBD"

/* Asserts that b holds exactly the len bytes of want. */
static void expect_bytes(const struct buf *b, const char *want, size_t len)
{
	if (b->len != len || memcmp(buf_str(b), want, len) != 0)
		print_error("got  (%zu bytes): \"%s\"\nwant (%zu bytes): \"%s\"\n",
			    b->len, buf_str(b), len, want);
	assert_int_equal(b->len, len);
	assert_memory_equal(buf_str(b), want, len);
}

#define EXPECT(b, lit) expect_bytes((b), (lit), sizeof(lit) - 1)

/* Runs html_textn over s[0..len) and compares the whole output. */
static void text_case(const char *s, size_t len, const char *want,
		      size_t want_len)
{
	struct buf b;
	struct html h;

	buf_init(&b, 0);
	html_init(&h, &b);
	html_textn(&h, s, len);
	assert_int_equal(html_finish(&h), 0);
	expect_bytes(&b, want, want_len);
	buf_release(&b);
}

#define TEXT(in, want) text_case((in), sizeof(in) - 1, (want), sizeof(want) - 1)

static void test_text_script_injection(void **state)
{
	(void)state;
	TEXT("\"><script>alert(1)</script>",
	     "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
	TEXT("<img src=x onerror=alert(1)>",
	     "&lt;img src=x onerror=alert(1)&gt;");
}

static void test_text_quotes_and_ampersand(void **state)
{
	(void)state;
	TEXT("It's", "It&#39;s");
	TEXT("say \"hi\"", "say &quot;hi&quot;");
	TEXT("'\"'", "&#39;&quot;&#39;");
	TEXT("a&b", "a&amp;b");
	TEXT("&amp;", "&amp;amp;");
	TEXT("&#39;", "&amp;#39;");
	TEXT("plain text stays", "plain text stays");
	TEXT("", "");
}

static void test_text_nul_in_middle(void **state)
{
	(void)state;
	/* html_textn with an explicit length: the NUL is data, not the end. */
	TEXT("a\0b", "a" FFFD "b");
	TEXT("\0", FFFD);
	TEXT("<\0>", "&lt;" FFFD "&gt;");
}

static void test_text_nul_terminated_variant_stops_at_nul(void **state)
{
	struct buf b;
	struct html h;

	(void)state;
	buf_init(&b, 0);
	html_init(&h, &b);
	html_text(&h, "a<b\0c");
	html_text(&h, NULL);
	html_textn(&h, NULL, 5);
	assert_int_equal(html_finish(&h), 0);
	EXPECT(&b, "a&lt;b");
	buf_release(&b);
}

static void test_text_controls(void **state)
{
	(void)state;
	TEXT("\x01", FFFD);
	TEXT("a\x1B[31mred", "a" FFFD "[31mred");
	TEXT("\x08\x0B\x0C\x1F", FFFD FFFD FFFD FFFD);
	TEXT("del\x7F", "del" FFFD);
	/* tab, LF and CR are kept as they are */
	TEXT("a\tb\nc\rd", "a\tb\nc\rd");
	TEXT("\t\r\n", "\t\r\n");
}

static void test_text_invalid_utf8(void **state)
{
	(void)state;
	/* lone continuation bytes */
	TEXT("\x80", FFFD);
	TEXT("a\xBF" "b", "a" FFFD "b");
	/* overlong "/": neither byte starts a valid sequence */
	TEXT("\xC0\xAF", FFFD FFFD);
	TEXT("\xC1\xBF", FFFD FFFD);
	TEXT("\xE0\x80\xAF", FFFD FFFD FFFD);
	/* UTF-16 surrogate U+D800 */
	TEXT("\xED\xA0\x80", FFFD FFFD FFFD);
	/* truncated at the end of the input */
	TEXT("ab\xE4\xB8", "ab" FFFD FFFD);
	TEXT("\xF0\x9F\x98", FFFD FFFD FFFD);
	TEXT("x\xC3", "x" FFFD);
	/* a lead byte followed by ASCII: the ASCII survives */
	TEXT("\xE4" "x<", FFFD "x&lt;");
	/* above U+10FFFF */
	TEXT("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD);
	/* bytes that never appear in UTF-8 */
	TEXT("\xF5\xFE\xFF", FFFD FFFD FFFD);
}

static void test_text_valid_multibyte_kept(void **state)
{
	(void)state;
	TEXT("caf\xC3\xA9", "caf\xC3\xA9");                  /* é */
	TEXT("\xE4\xB8\xAD\xE6\x96\x87", "\xE4\xB8\xAD\xE6\x96\x87"); /* 中文 */
	TEXT("\xF0\x9F\x98\x80!", "\xF0\x9F\x98\x80!");      /* 😀 */
	TEXT("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF");        /* U+10FFFF */
	TEXT("\xC3\xA9<\xC3\xA9", "\xC3\xA9&lt;\xC3\xA9");
	/* a valid character right after an invalid byte is kept */
	TEXT("\x80\xC3\xA9", FFFD "\xC3\xA9");
}

static void test_printf_escapes(void **state)
{
	struct buf b;
	struct html h;
	char big[1100];

	(void)state;
	buf_init(&b, 0);
	html_init(&h, &b);
	html_printf(&h, "%s=%d", "<b>", 42);
	assert_int_equal(html_finish(&h), 0);
	EXPECT(&b, "&lt;b&gt;=42");
	buf_release(&b);

	/* output that does not fit html_printf's buffer is an error, not a
	 * silent truncation */
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_init(&b, 0);
	html_init(&h, &b);
	html_printf(&h, "%s", big);
	assert_int_equal(html_finish(&h), ERR_TOO_LARGE);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_attributes_escaped(void **state)
{
	struct buf b;
	struct html h;

	(void)state;
	buf_init(&b, 0);
	html_init(&h, &b);
	html_open(&h, EL_DIV, ATTR_CLASS, "\"><script>alert(1)</script>",
		  ATTR_TITLE, "it's & \"that\"", ATTR_ID, "a\x01\xC0z",
		  ATTR__END);
	assert_int_equal(html_finish(&h), 0);
	EXPECT(&b, "<div class=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""
		   " title=\"it&#39;s &amp; &quot;that&quot;\""
		   " id=\"a" FFFD FFFD "z\"></div>");
	buf_release(&b);
}

static void test_attribute_null_omitted_and_boolean_bare(void **state)
{
	struct buf b;
	struct html h;

	(void)state;
	buf_init(&b, 0);
	html_init(&h, &b);
	html_open(&h, EL_INPUT, ATTR_TYPE, "checkbox", ATTR_VALUE,
		  (const char *)NULL, ATTR_NAME, "agree", ATTR_CHECKED, "",
		  ATTR_DISABLED, (const char *)NULL, ATTR_REQUIRED, "yes",
		  ATTR__END);
	html_open(&h, EL_SCRIPT, ATTR_SRC, "/static/app.js", ATTR_DEFER, "1",
		  ATTR__END);
	html_close(&h);
	html_open(&h, EL_OPTION, ATTR_SELECTED, "x", ATTR_HIDDEN, "",
		  ATTR__END);
	assert_int_equal(html_finish(&h), 0);
	EXPECT(&b, "<input type=\"checkbox\" name=\"agree\" checked required>"
		   "<script src=\"/static/app.js\" defer></script>"
		   "<option selected hidden></option>");
	buf_release(&b);
}

static void test_void_elements_not_closed(void **state)
{
	struct buf b;
	struct html h;

	(void)state;
	buf_init(&b, 0);
	html_init(&h, &b);
	html_open(&h, EL_P, ATTR__END);
	html_open(&h, EL_BR, ATTR__END);
	html_open(&h, EL_HR, ATTR__END);
	html_open(&h, EL_META, ATTR_CHARSET, "utf-8", ATTR__END);
	html_open(&h, EL_LINK, ATTR_REL, "stylesheet", ATTR_HREF, "/s.css",
		  ATTR__END);
	html_open(&h, EL_INPUT, ATTR_TYPE, "text", ATTR__END);
	assert_int_equal(html_depth(&h), 1);
	/* html_elem on a void element writes no text and no closing tag */
	html_elem(&h, EL_IMG, "ignored", ATTR_SRC, "/a.png", ATTR_ALT, "<A>",
		  ATTR__END);
	assert_int_equal(html_depth(&h), 1);
	html_close(&h);
	assert_int_equal(html_depth(&h), 0);
	assert_int_equal(html_finish(&h), 0);
	EXPECT(&b, "<p><br><hr><meta charset=\"utf-8\">"
		   "<link rel=\"stylesheet\" href=\"/s.css\"><input type=\"text\">"
		   "<img src=\"/a.png\" alt=\"&lt;A&gt;\"></p>");
	buf_release(&b);
}

static void test_nesting_and_finish(void **state)
{
	struct buf b;
	struct html h;

	(void)state;
	buf_init(&b, 0);
	html_init(&h, &b);
	html_doctype(&h);
	html_open(&h, EL_HTML, ATTR_LANG, "en", ATTR__END);
	html_open(&h, EL_BODY, ATTR__END);
	html_open(&h, EL_MAIN, ATTR_ID, "main", ATTR__END);
	html_elem(&h, EL_H1, "Tom & Jerry", ATTR__END);
	html_open(&h, EL_UL, ATTR__END);
	assert_int_equal(html_depth(&h), 4);
	html_elem(&h, EL_LI, "one", ATTR__END);
	html_elem(&h, EL_LI, "<two>", ATTR_CLASS, "x", ATTR__END);
	assert_int_equal(html_depth(&h), 4);
	html_close_to(&h, 2);
	assert_int_equal(html_depth(&h), 2);
	html_elem(&h, EL_FOOTER, NULL, ATTR__END);
	assert_int_equal(html_finish(&h), 0);
	assert_int_equal(html_depth(&h), 0);
	EXPECT(&b, "<!DOCTYPE html>\n<html lang=\"en\"><body><main id=\"main\">"
		   "<h1>Tom &amp; Jerry</h1><ul><li>one</li>"
		   "<li class=\"x\">&lt;two&gt;</li></ul></main>"
		   "<footer></footer></body></html>");
	buf_release(&b);
}

static void test_html_lit_raw(void **state)
{
	struct buf b;
	struct html h;

	(void)state;
	buf_init(&b, 0);
	html_init(&h, &b);
	html_open(&h, EL_DIV, ATTR__END);
	HTML_LIT(&h, "<span class=\"raw\">&nbsp;</span>");
	HTML_LIT(&h, "");
	assert_int_equal(html_finish(&h), 0);
	EXPECT(&b, "<div><span class=\"raw\">&nbsp;</span></div>");
	buf_release(&b);
}

static void test_safe_urls_accepted(void **state)
{
	struct buf b;
	struct html h;

	(void)state;
	buf_init(&b, 0);
	html_init(&h, &b);
	html_elem(&h, EL_A, "x", ATTR_HREF, "/search?q=a&b=\"c\"", ATTR__END);
	html_elem(&h, EL_A, "y", ATTR_HREF, "https://example.com/", ATTR__END);
	html_open(&h, EL_FORM, ATTR_ACTION, "#top", ATTR_METHOD, "post",
		  ATTR__END);
	assert_int_equal(html_finish(&h), 0);
	EXPECT(&b, "<a href=\"/search?q=a&amp;b=&quot;c&quot;\">x</a>"
		   "<a href=\"https://example.com/\">y</a>"
		   "<form action=\"#top\" method=\"post\"></form>");
	buf_release(&b);
}

/* Writes "<p>before", then el with attr=url, then more content; the writer
 * must fail with ERR_INVALID, never emit the URL, and write nothing once
 * the error is recorded. */
static void unsafe_url_case(enum html_el el, enum html_attr attr,
			    const char *url)
{
	struct buf b;
	struct html h;
	size_t at_error;

	buf_init(&b, 0);
	html_init(&h, &b);
	html_open(&h, EL_P, ATTR__END);
	html_text(&h, "before");
	html_open(&h, el, ATTR_CLASS, "c", attr, url, ATTR__END);
	at_error = b.len;
	html_text(&h, "after");
	html_textn(&h, "after", 5);
	html_printf(&h, "%s", "after");
	html_elem(&h, EL_SPAN, "after", ATTR__END);
	HTML_LIT(&h, "<b>after</b>");
	html_doctype(&h);
	html_close(&h);
	assert_int_equal(html_finish(&h), ERR_INVALID);
	/* nothing written after the error, not even closing tags */
	assert_int_equal(b.len, at_error);
	assert_memory_equal(buf_str(&b), "<p>before", 9);
	assert_null(strstr(buf_str(&b), "after"));
	assert_null(strstr(buf_str(&b), "</p>"));
	assert_null(strstr(buf_str(&b), "href="));
	assert_null(strstr(buf_str(&b), "src="));
	assert_null(strstr(buf_str(&b), "action="));
	assert_null(strstr(buf_str(&b), "evil"));
	assert_null(strstr(buf_str(&b), "alert"));
	/* a later finish still reports the first error */
	assert_int_equal(html_finish(&h), ERR_INVALID);
	buf_release(&b);
}

static void test_unsafe_urls_refused(void **state)
{
	static const char *const bad[] = {
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		" javascript:alert(1)",
		"java\tscript:alert(1)",
		"java\nscript:alert(1)",
		"\x01javascript:alert(1)",
		"//evil.com/x",
		"data:text/html,<script>alert(1)</script>",
		"vbscript:alert(1)",
		"/ok\r\nSet-Cookie: evil",
		"/a\\evil",
		"https://evil.com/\x7f",
		"",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		unsafe_url_case(EL_A, ATTR_HREF, bad[i]);
		unsafe_url_case(EL_IMG, ATTR_SRC, bad[i]);
		unsafe_url_case(EL_FORM, ATTR_ACTION, bad[i]);
	}
}

static void test_sticky_error_size_capped_buf(void **state)
{
	struct buf b;
	struct html h;

	(void)state;
	buf_init(&b, 10);
	html_init(&h, &b);
	html_open(&h, EL_DIV, ATTR__END);     /* 5 bytes */
	html_text(&h, "hello");               /* 10 bytes: exactly the cap */
	assert_int_equal(b.len, 10);
	html_text(&h, "!");                   /* over the cap */
	html_text(&h, "");
	html_open(&h, EL_SPAN, ATTR__END);
	HTML_LIT(&h, "x");
	assert_int_equal(html_finish(&h), ERR_TOO_LARGE);
	EXPECT(&b, "<div>hello");
	buf_release(&b);

	/* an over-long text run fails as a whole */
	buf_init(&b, 10);
	html_init(&h, &b);
	html_text(&h, "0123456789abc");
	html_text(&h, "a");
	assert_int_equal(html_finish(&h), ERR_TOO_LARGE);
	assert_true(b.len <= 10);
	assert_null(strchr(buf_str(&b), 'a'));
	buf_release(&b);
}

static void test_close_with_nothing_open(void **state)
{
	struct buf b;
	struct html h;

	(void)state;
	buf_init(&b, 0);
	html_init(&h, &b);
	html_open(&h, EL_P, ATTR__END);
	html_close(&h);
	html_close(&h);                       /* nothing open */
	html_text(&h, "later");
	html_open(&h, EL_DIV, ATTR__END);
	assert_int_equal(html_finish(&h), ERR_INVALID);
	EXPECT(&b, "<p></p>");
	buf_release(&b);
}

static void test_depth_overflow(void **state)
{
	struct buf b;
	struct html h;
	const char *p;
	size_t i, opens = 0;

	(void)state;
	buf_init(&b, 0);
	html_init(&h, &b);
	for (i = 0; i < HTML_DEPTH_MAX; i++)
		html_open(&h, EL_DIV, ATTR__END);
	assert_int_equal(html_depth(&h), HTML_DEPTH_MAX);
	/* a void element needs no stack slot */
	html_open(&h, EL_BR, ATTR__END);
	assert_int_equal(html_depth(&h), HTML_DEPTH_MAX);
	html_open(&h, EL_SPAN, ATTR__END);    /* one too deep */
	assert_int_equal(html_depth(&h), HTML_DEPTH_MAX);
	assert_int_not_equal(html_finish(&h), 0);
	assert_null(strstr(buf_str(&b), "<span"));
	assert_null(strstr(buf_str(&b), "</div>"));
	for (p = buf_str(&b); (p = strstr(p, "<div>")) != NULL; p++)
		opens++;
	assert_int_equal(opens, HTML_DEPTH_MAX);
	buf_release(&b);
}

static void test_depth_max_balanced_ok(void **state)
{
	struct buf b;
	struct html h;
	size_t i;

	(void)state;
	buf_init(&b, 0);
	html_init(&h, &b);
	for (i = 0; i < HTML_DEPTH_MAX; i++)
		html_open(&h, EL_SPAN, ATTR__END);
	assert_int_equal(html_finish(&h), 0);
	assert_int_equal(b.len, HTML_DEPTH_MAX * (6 + 7));
	assert_memory_equal(b.data + HTML_DEPTH_MAX * 6 - 6, "<span></span>", 13);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_script_injection),
		cmocka_unit_test(test_text_quotes_and_ampersand),
		cmocka_unit_test(test_text_nul_in_middle),
		cmocka_unit_test(test_text_nul_terminated_variant_stops_at_nul),
		cmocka_unit_test(test_text_controls),
		cmocka_unit_test(test_text_invalid_utf8),
		cmocka_unit_test(test_text_valid_multibyte_kept),
		cmocka_unit_test(test_printf_escapes),
		cmocka_unit_test(test_attributes_escaped),
		cmocka_unit_test(test_attribute_null_omitted_and_boolean_bare),
		cmocka_unit_test(test_void_elements_not_closed),
		cmocka_unit_test(test_nesting_and_finish),
		cmocka_unit_test(test_html_lit_raw),
		cmocka_unit_test(test_safe_urls_accepted),
		cmocka_unit_test(test_unsafe_urls_refused),
		cmocka_unit_test(test_sticky_error_size_capped_buf),
		cmocka_unit_test(test_close_with_nothing_open),
		cmocka_unit_test(test_depth_overflow),
		cmocka_unit_test(test_depth_max_balanced_ok),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
