/* test-entity.c: field rules for organizations and services, email normalisation, channel labels and character counts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/entity.h"
#include "util/err.h"

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* How many details of ei name field. */
static size_t details_for(const struct errinfo *ei, const char *field)
{
	size_t i, n = 0;

	for (i = 0; i < ei->ndetails; i++)
		if (strcmp(ei->details[i].field, field) == 0)
			n++;
	return n;
}

static void dump(const struct errinfo *ei)
{
	size_t i;

	print_error("code %d: %s\n", (int)ei->code, ei->message);
	for (i = 0; i < ei->ndetails; i++)
		print_error("  %s: %s\n", ei->details[i].field,
			    ei->details[i].message);
}

/* s repeated n times into out (cap bytes). */
static char *repeat(char *out, size_t cap, const char *s, size_t n)
{
	size_t len = strlen(s), i;

	assert_true(len * n < cap);
	for (i = 0; i < n; i++)
		memcpy(out + i * len, s, len);
	out[len * n] = '\0';
	return out;
}

static struct org_input good_org(void)
{
	struct org_input in = { .name = "Department of Examples",
				.short_name = "DOE", .kind = "department",
				.parent_id = 0 };
	return in;
}

/* Checks in and expects exactly one problem, on field. */
static void org_bad_only(const struct org_input *in, const char *field)
{
	struct errinfo ei;
	int rc;

	errinfo_clear(&ei);
	rc = entity_org_check(in, &ei);
	if (rc != ERR_INVALID || ei.ndetails != 1 ||
	    details_for(&ei, field) != 1)
		dump(&ei);
	assert_int_equal(rc, ERR_INVALID);
	assert_int_equal(ei.code, ERR_INVALID);
	assert_int_equal(ei.ndetails, 1);
	assert_string_equal(ei.details[0].field, field);
	assert_true(ei.details[0].message[0] != '\0');
}

static void org_ok(const struct org_input *in)
{
	struct errinfo ei;
	int rc;

	errinfo_clear(&ei);
	rc = entity_org_check(in, &ei);
	if (rc || ei.ndetails)
		dump(&ei);
	assert_int_equal(rc, 0);
	assert_int_equal(ei.ndetails, 0);
}

static void test_org_good(void **state)
{
	struct org_input in = good_org();
	size_t i;

	(void)state;
	org_ok(&in);
	/* short_name is optional */
	in.short_name = NULL;
	org_ok(&in);
	in.short_name = "";
	org_ok(&in);
	/* every listed kind is accepted */
	for (i = 0; entity_org_kinds[i]; i++) {
		in.kind = entity_org_kinds[i];
		org_ok(&in);
	}
	assert_int_equal(i, 4);
	in.parent_id = 42;
	org_ok(&in);
}

static void test_org_name_rules(void **state)
{
	static const char *const control[] = {
		"Office\x01of things", "Tab\tname", "New\nline", "Carriage\rret",
		"Delete\x7f", "Escape\x1b[31m",
	};
	static const char *const invalid_utf8[] = {
		"Bad \xff byte", "Cut \xc3", "Overlong \xc0\xaf", "Surrogate \xed\xa0\x80",
	};
	struct org_input in = good_org();
	char big[1024];
	size_t i;

	(void)state;
	in.name = NULL;
	org_bad_only(&in, "name");
	in.name = "";
	org_bad_only(&in, "name");
	in.name = " ";
	org_bad_only(&in, "name");
	in.name = "     ";
	org_bad_only(&in, "name");

	/* 200 characters is the limit, counted in characters not bytes */
	in.name = repeat(big, sizeof big, "a", 200);
	org_ok(&in);
	in.name = repeat(big, sizeof big, "a", 201);
	org_bad_only(&in, "name");
	in.name = repeat(big, sizeof big, "\xc3\xa9", 200);    /* 400 bytes */
	assert_int_equal(strlen(in.name), 400);
	org_ok(&in);
	in.name = repeat(big, sizeof big, "\xc3\xa9", 201);
	org_bad_only(&in, "name");
	in.name = repeat(big, sizeof big, "\xe6\x97\xa5", 200); /* 600 bytes */
	org_ok(&in);

	for (i = 0; i < COUNT(control); i++) {
		in.name = control[i];
		org_bad_only(&in, "name");
	}
	for (i = 0; i < COUNT(invalid_utf8); i++) {
		in.name = invalid_utf8[i];
		org_bad_only(&in, "name");
	}
}

static void test_org_other_fields(void **state)
{
	static const char *const bad_kinds[] = {
		"agency", "Department", "department ", "", "component\n",
	};
	struct org_input in = good_org();
	char big[64];
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(bad_kinds); i++) {
		in.kind = bad_kinds[i];
		org_bad_only(&in, "kind");
	}
	in.kind = NULL;
	org_bad_only(&in, "kind");

	in = good_org();
	in.parent_id = -1;
	org_bad_only(&in, "parent_id");
	in.parent_id = INT64_MIN;
	org_bad_only(&in, "parent_id");

	in = good_org();
	in.short_name = repeat(big, sizeof big, "S", 33);
	org_bad_only(&in, "short_name");
	in.short_name = repeat(big, sizeof big, "S", 32);
	org_ok(&in);
	in.short_name = "A\x02";
	org_bad_only(&in, "short_name");
}

static void test_org_every_problem_reported(void **state)
{
	struct org_input in = { .name = "", .short_name = "x\ny",
				.kind = "planet", .parent_id = -5 };
	struct errinfo ei;

	(void)state;
	errinfo_clear(&ei);
	assert_int_equal(entity_org_check(&in, &ei), ERR_INVALID);
	assert_int_equal(ei.ndetails, 4);
	assert_int_equal(details_for(&ei, "name"), 1);
	assert_int_equal(details_for(&ei, "short_name"), 1);
	assert_int_equal(details_for(&ei, "kind"), 1);
	assert_int_equal(details_for(&ei, "parent_id"), 1);

	/* details already in ei (from parsing) are kept; only new ones count */
	errinfo_clear(&ei);
	errinfo_add(&ei, "other", 0, 0, "earlier problem");
	in = good_org();
	assert_int_equal(entity_org_check(&in, &ei), 0);
	assert_int_equal(ei.ndetails, 1);
	in.kind = "nope";
	assert_int_equal(entity_org_check(&in, &ei), ERR_INVALID);
	assert_int_equal(ei.ndetails, 2);
	assert_string_equal(ei.details[1].field, "kind");
}

static struct service_input good_service(void)
{
	struct service_input in = {
		.name = "Passport renewal", .description = "Renew by mail",
		.org_id = 3, .channels = { "website", "postal_mail" },
		.nchannels = 2, .hisp = true, .annual_customers = 1000,
	};
	return in;
}

static void service_bad_only(const struct service_input *in,
			     const char *field, const char *mentions)
{
	struct errinfo ei;
	int rc;

	errinfo_clear(&ei);
	rc = entity_service_check(in, &ei);
	if (rc != ERR_INVALID || ei.ndetails != 1)
		dump(&ei);
	assert_int_equal(rc, ERR_INVALID);
	assert_int_equal(ei.code, ERR_INVALID);
	assert_int_equal(ei.ndetails, 1);
	assert_string_equal(ei.details[0].field, field);
	if (mentions)
		assert_non_null(strstr(ei.details[0].message, mentions));
}

static void service_ok(const struct service_input *in)
{
	struct errinfo ei;
	int rc;

	errinfo_clear(&ei);
	rc = entity_service_check(in, &ei);
	if (rc || ei.ndetails)
		dump(&ei);
	assert_int_equal(rc, 0);
	assert_int_equal(ei.ndetails, 0);
}

static void test_service_good(void **state)
{
	struct service_input in = good_service();
	size_t i;

	(void)state;
	service_ok(&in);
	in.description = NULL;
	in.nchannels = 0;
	in.hisp = false;
	in.annual_customers = -1;       /* not known */
	service_ok(&in);
	in.annual_customers = 0;
	service_ok(&in);
	in.annual_customers = 10000000000LL;
	service_ok(&in);
	/* every channel at once, each once */
	for (i = 0; entity_channels[i].key; i++)
		in.channels[i] = entity_channels[i].key;
	in.nchannels = i;
	assert_int_equal(in.nchannels, ENTITY_CHANNELS_MAX);
	service_ok(&in);
}

static void test_service_bad_fields(void **state)
{
	struct service_input in;
	char big[4200];

	(void)state;
	in = good_service();
	in.channels[1] = "carrier_pigeon";
	service_bad_only(&in, "channels", "carrier_pigeon");
	in.channels[1] = "Website";     /* keys are exact */
	service_bad_only(&in, "channels", "Website");
	in.channels[1] = NULL;
	service_bad_only(&in, "channels", NULL);

	in = good_service();
	in.channels[1] = "website";
	service_bad_only(&in, "channels", "website");
	/* listed three times: reported for each repeat, never accepted */
	{
		struct errinfo ei;
		in.channels[2] = "website";
		in.nchannels = 3;
		errinfo_clear(&ei);
		assert_int_equal(entity_service_check(&in, &ei), ERR_INVALID);
		assert_true(details_for(&ei, "channels") >= 2);
		assert_int_equal(details_for(&ei, "channels"), ei.ndetails);
	}

	in = good_service();
	in.annual_customers = -2;
	service_bad_only(&in, "annual_customers", NULL);
	in.annual_customers = 10000000001LL;
	service_bad_only(&in, "annual_customers", NULL);
	in.annual_customers = INT64_MIN;
	service_bad_only(&in, "annual_customers", NULL);

	in = good_service();
	in.org_id = 0;
	service_bad_only(&in, "org_id", NULL);
	in.org_id = -4;
	service_bad_only(&in, "org_id", NULL);

	in = good_service();
	in.name = "";
	service_bad_only(&in, "name", NULL);
	in.name = "   ";
	service_bad_only(&in, "name", NULL);
	in.name = repeat(big, sizeof big, "n", 201);
	service_bad_only(&in, "name", NULL);

	in = good_service();
	in.description = repeat(big, sizeof big, "d", 4001);
	service_bad_only(&in, "description", NULL);
	in.description = repeat(big, sizeof big, "d", 4000);
	service_ok(&in);
	in.description = "line\nbreak";
	service_bad_only(&in, "description", NULL);
}

/* The result must not depend on whether the caller wants details: an
 * invalid organization or service is ERR_INVALID with or without an
 * errinfo (errinfo_add and errinfo_set accept NULL). */
static void test_checks_without_errinfo(void **state)
{
	struct org_input org = good_org();
	struct service_input svc = good_service();

	(void)state;
	assert_int_equal(entity_org_check(&org, NULL), 0);
	assert_int_equal(entity_service_check(&svc, NULL), 0);
	org.kind = "planet";
	assert_int_equal(entity_org_check(&org, NULL), ERR_INVALID);
	org = good_org();
	org.name = "";
	assert_int_equal(entity_org_check(&org, NULL), ERR_INVALID);
	svc.org_id = 0;
	assert_int_equal(entity_service_check(&svc, NULL), ERR_INVALID);
	svc = good_service();
	svc.annual_customers = -2;
	assert_int_equal(entity_service_check(&svc, NULL), ERR_INVALID);
}

/* An errinfo whose detail list is already full still yields ERR_INVALID
 * for invalid input (the new problems are counted as dropped). */
static void test_checks_with_full_errinfo(void **state)
{
	struct org_input org = good_org();
	struct service_input svc = good_service();
	struct errinfo ei;
	size_t i;

	(void)state;
	errinfo_clear(&ei);
	for (i = 0; i < ERRINFO_DETAILS_MAX; i++)
		errinfo_add(&ei, "earlier", 0, 0, "problem %zu", i);
	assert_int_equal(ei.ndetails, ERRINFO_DETAILS_MAX);
	assert_int_equal(entity_org_check(&org, &ei), 0);
	assert_int_equal(entity_service_check(&svc, &ei), 0);
	org.kind = "planet";
	assert_int_equal(entity_org_check(&org, &ei), ERR_INVALID);
	assert_true(ei.dropped_details >= 1);
	svc.annual_customers = -2;
	assert_int_equal(entity_service_check(&svc, &ei), ERR_INVALID);
}

static void test_service_every_problem_reported(void **state)
{
	struct service_input in = {
		.name = "", .org_id = 0, .channels = { "nope" }, .nchannels = 1,
		.annual_customers = -7,
	};
	struct errinfo ei;

	(void)state;
	errinfo_clear(&ei);
	assert_int_equal(entity_service_check(&in, &ei), ERR_INVALID);
	assert_int_equal(ei.ndetails, 4);
	assert_int_equal(details_for(&ei, "name"), 1);
	assert_int_equal(details_for(&ei, "org_id"), 1);
	assert_int_equal(details_for(&ei, "channels"), 1);
	assert_int_equal(details_for(&ei, "annual_customers"), 1);
}

static void email_ok(const char *in, const char *want)
{
	char out[ENTITY_EMAIL_MAX + 1];

	memset(out, 'X', sizeof out);
	if (!entity_email_normalize(in, out, sizeof out))
		print_error("refused: \"%s\"\n", in);
	assert_true(entity_email_normalize(in, out, sizeof out));
	assert_string_equal(out, want);
}

static void email_bad(const char *in)
{
	char out[512];

	if (entity_email_normalize(in, out, sizeof out))
		print_error("accepted: \"%s\"\n", in);
	assert_false(entity_email_normalize(in, out, sizeof out));
}

static void test_email(void **state)
{
	static const char *const bad[] = {
		"", "a", "ab", "userexample.com", "a@b@example.com",
		"a@@example.com", "a@localhost", "a@example.com.", "a@example.",
		"a@.com", "@example.com", "a@", "a b@example.com",
		"a@exa mple.com", " a@example.com", "a@example.com ",
		"<a@example.com>", "A <a@example.com>", "a@example.com>",
		"a\t@example.com", "a\n@example.com", "a\x01@example.com",
		"a\x7f@example.com", "\"a\"@example.com", "a,b@example.com",
		"a;b@example.com", "\xff@example.com", "a@ex\xc3.com",
		"\xc0\xaf@example.com",
	};
	char big[512], out[ENTITY_EMAIL_MAX + 1];
	size_t i;

	(void)state;
	email_ok("User@Example.COM", "user@example.com");
	email_ok("a@b.c", "a@b.c");
	email_ok("first.last+tag@sub.agency.gov", "first.last+tag@sub.agency.gov");
	/* non-ASCII bytes are passed through, not mangled */
	email_ok("J\xc3\xbcrgen@Example.org", "j\xc3\xbcrgen@example.org");
	for (i = 0; i < COUNT(bad); i++)
		email_bad(bad[i]);
	email_bad(NULL);

	/* 254 bytes is the limit */
	memset(big, 'a', 254 - strlen("@example.com"));
	strcpy(big + 254 - strlen("@example.com"), "@example.com");
	assert_int_equal(strlen(big), 254);
	assert_true(entity_email_normalize(big, out, sizeof out));
	assert_string_equal(out, big);
	memset(big, 'a', 255 - strlen("@example.com"));
	strcpy(big + 255 - strlen("@example.com"), "@example.com");
	assert_int_equal(strlen(big), 255);
	email_bad(big);

	/* an output buffer that cannot hold the address is refused, not overrun */
	{
		char small[8] = "zzzzzzz";
		assert_false(entity_email_normalize("abc@example.com", small,
						    sizeof small));
		assert_string_equal(small, "zzzzzzz");
	}
}

static void test_channel_label(void **state)
{
	size_t i;

	(void)state;
	assert_string_equal(entity_channel_label("website"), "Website");
	assert_string_equal(entity_channel_label("sms_text_messages"),
			    "SMS text messages");
	assert_string_equal(entity_channel_label("other_non_digital"),
			    "Other non-digital");
	assert_null(entity_channel_label("Website"));
	assert_null(entity_channel_label("web"));
	assert_null(entity_channel_label(""));
	assert_null(entity_channel_label(NULL));
	for (i = 0; entity_channels[i].key; i++) {
		assert_non_null(entity_channels[i].label);
		assert_ptr_equal(entity_channel_label(entity_channels[i].key),
				 entity_channels[i].label);
	}
	assert_int_equal(i, ENTITY_CHANNELS_MAX);
}

static void test_chars(void **state)
{
	(void)state;
	assert_int_equal(entity_chars(""), 0);
	assert_int_equal(entity_chars("abc"), 3);
	assert_int_equal(entity_chars("\xc3\xa9"), 1);                 /* é */
	assert_int_equal(entity_chars("caf\xc3\xa9"), 4);
	assert_int_equal(entity_chars("\xe6\x97\xa5\xe6\x9c\xac"), 2); /* 日本 */
	assert_int_equal(entity_chars("\xf0\x9f\x98\x80!"), 2);        /* 😀! */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_org_good),
		cmocka_unit_test(test_org_name_rules),
		cmocka_unit_test(test_org_other_fields),
		cmocka_unit_test(test_org_every_problem_reported),
		cmocka_unit_test(test_service_good),
		cmocka_unit_test(test_service_bad_fields),
		cmocka_unit_test(test_service_every_problem_reported),
		cmocka_unit_test(test_checks_without_errinfo),
		cmocka_unit_test(test_checks_with_full_errinfo),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_channel_label),
		cmocka_unit_test(test_chars),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
