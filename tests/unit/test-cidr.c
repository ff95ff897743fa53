/* test-cidr.c: network validation and address-in-list matching for IPv4, IPv6 and IPv4-mapped addresses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "util/cidr.h"

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static void in(const char *list, const char *addr)
{
	if (!cidr_list_match(list, addr))
		print_error("expected %s in \"%s\"\n", addr, list);
	assert_true(cidr_list_match(list, addr));
}

static void out(const char *list, const char *addr)
{
	if (cidr_list_match(list, addr))
		print_error("expected %s not in \"%s\"\n", addr, list);
	assert_false(cidr_list_match(list, addr));
}

static void test_valid(void **state)
{
	static const char *const good[] = {
		"10.0.0.0/8", "0.0.0.0/0", "10.1.2.3", "10.1.2.3/32",
		"192.168.1.128/25", "::1", "::1/128", "::/0", "2001:db8::/32",
		"2001:db8::1/64", "fe80::/10",
	};
	static const char *const bad[] = {
		"", "abc", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/",
		"10.0.0.0/8x", "10.0.0.0/x", "10.0.0.0/+8",
		"10.0.0.0/8/8", "/8", "10.0.0/8", "256.0.0.0/8", "10.0.0.0 /8",
		" 10.0.0.0/8", "10.0.0.0/8 ", "::1/129", "2001:db8::/-0",
		"2001:db8:::/32", "10.0.0.0/99999999999999999999",
		"10.0.0.0/8,192.168.0.0/16",
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(good); i++) {
		if (!cidr_valid(good[i]))
			print_error("refused \"%s\"\n", good[i]);
		assert_true(cidr_valid(good[i]));
	}
	for (i = 0; i < COUNT(bad); i++) {
		if (cidr_valid(bad[i]))
			print_error("accepted \"%s\"\n", bad[i]);
		assert_false(cidr_valid(bad[i]));
	}
	assert_false(cidr_valid(NULL));
}

/* The prefix length is digits only: the parser refuses a sign after the
 * slash, so it must refuse white space there too (strtol skips it). */
static void test_prefix_is_digits_only(void **state)
{
	(void)state;
	assert_false(cidr_valid("10.0.0.0/ 8"));
	assert_false(cidr_valid("10.0.0.0/\t8"));
	assert_false(cidr_valid("::1/ 128"));
	out("10.0.0.0/ 8", "10.0.0.1");
}

static void test_ipv4_boundaries(void **state)
{
	(void)state;
	/* /0: everything IPv4, whatever the address bits */
	in("0.0.0.0/0", "0.0.0.0");
	in("0.0.0.0/0", "255.255.255.255");
	in("1.2.3.4/0", "200.1.1.1");

	/* /8 */
	in("10.0.0.0/8", "10.0.0.0");
	in("10.0.0.0/8", "10.255.255.255");
	out("10.0.0.0/8", "11.0.0.0");
	out("10.0.0.0/8", "9.255.255.255");

	/* /32 and bare addresses: that one address */
	in("10.0.0.1/32", "10.0.0.1");
	out("10.0.0.1/32", "10.0.0.0");
	out("10.0.0.1/32", "10.0.0.2");
	in("10.0.0.1", "10.0.0.1");
	out("10.0.0.1", "10.0.0.2");
	out("10.0.0.1", "10.0.0.0");

	/* /31: two addresses */
	in("10.0.0.0/31", "10.0.0.0");
	in("10.0.0.0/31", "10.0.0.1");
	out("10.0.0.0/31", "10.0.0.2");
	in("10.0.0.2/31", "10.0.0.2");
	in("10.0.0.2/31", "10.0.0.3");
	out("10.0.0.2/31", "10.0.0.1");
	out("10.0.0.2/31", "10.0.0.4");

	/* /25: a partial last byte */
	in("192.168.1.0/25", "192.168.1.0");
	in("192.168.1.0/25", "192.168.1.127");
	out("192.168.1.0/25", "192.168.1.128");
	out("192.168.1.0/25", "192.168.0.127");
	in("192.168.1.128/25", "192.168.1.128");
	in("192.168.1.128/25", "192.168.1.255");
	out("192.168.1.128/25", "192.168.1.127");
	out("192.168.1.128/25", "192.168.2.128");
}

static void test_ipv6(void **state)
{
	(void)state;
	in("::1/128", "::1");
	in("::1", "::1");
	in("::1", "0:0:0:0:0:0:0:1");
	out("::1/128", "::2");
	out("::1/128", "::");
	out("::1/128", "127.0.0.1");
	out("127.0.0.1", "::1");

	in("2001:db8::/32", "2001:db8::1");
	in("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
	in("2001:db8::/32", "2001:DB8::abcd");
	out("2001:db8::/32", "2001:db9::1");
	out("2001:db8::/32", "2001:db7:ffff::1");
	/* a prefix that ends inside a byte */
	in("2001:db8::/33", "2001:db8:7fff::1");
	out("2001:db8::/33", "2001:db8:8000::1");

	/* families never match each other */
	in("::/0", "fe80::1");
	out("::/0", "10.0.0.1");
	out("0.0.0.0/0", "2001:db8::1");
}

static void test_ipv4_mapped(void **state)
{
	(void)state;
	in("10.0.0.0/8", "::ffff:10.1.2.3");
	in("10.1.2.3", "::ffff:10.1.2.3");
	in("10.1.2.3/32", "::FFFF:10.1.2.3");
	out("10.0.0.0/8", "::ffff:11.1.2.3");
	out("192.168.0.0/16", "::ffff:10.1.2.3");
	/* an IPv4-mapped address is IPv4, not an IPv6 address under ::/0 */
	in("0.0.0.0/0", "::ffff:1.2.3.4");
	/* a mapped network in the list is IPv4 too */
	in("::ffff:10.0.0.0/8", "10.9.9.9");
}

static void test_lists(void **state)
{
	const char *list = "10.0.0.0/8, 192.168.0.0/16,::1";

	(void)state;
	in(list, "10.2.3.4");
	in(list, "192.168.44.1");
	in(list, "::1");
	out(list, "172.16.0.1");
	out(list, "::2");

	/* spaces around entries and empty entries are ignored */
	in("  10.0.0.0/8,   192.168.0.0/16", "192.168.0.1");
	in(",,10.0.0.0/8,,", "10.0.0.1");
	in(",10.0.0.0/8", "10.0.0.1");
	in("10.0.0.0/8,", "10.0.0.1");
	in("172.16.0.0/12,,,192.168.0.0/16", "192.168.0.1");
	out("", "10.0.0.1");
	out(",", "10.0.0.1");
	out(" , ,", "10.0.0.1");
}

/* Spaces before an entry are skipped, so spaces after one must be too:
 * "a , b" is the same list as "a, b". */
static void test_list_trailing_spaces(void **state)
{
	(void)state;
	in("192.168.0.0/16 ,10.0.0.0/8", "192.168.0.1");
	in("10.0.0.0/8 , 192.168.0.0/16", "10.0.0.1");
	in("10.0.0.1  ", "10.0.0.1");
	in("::1 ", "::1");
}

static void test_malformed_entries(void **state)
{
	static const char *const bad[] = {
		"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "abc", "10.0.0.0/8x",
		"10.0.0.0/+8", "10.0.0/8", "/8", "::1/129", "10.0.0.0/8/8",
	};
	char list[256];
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(bad); i++) {
		/* alone: never matches, not even the address it names */
		out(bad[i], "10.0.0.1");
		out(bad[i], "10.0.0.0");
		out(bad[i], "::1");
		/* first in a list: the rest still works */
		strcpy(list, bad[i]);
		strcat(list, ",192.168.0.0/16");
		in(list, "192.168.3.4");
		out(list, "10.0.0.1");
		/* last in a list */
		strcpy(list, "192.168.0.0/16,");
		strcat(list, bad[i]);
		in(list, "192.168.3.4");
		out(list, "10.0.0.1");
		/* in the middle */
		strcpy(list, "172.16.0.0/12,");
		strcat(list, bad[i]);
		strcat(list, ",192.168.0.0/16");
		in(list, "192.168.3.4");
		in(list, "172.20.0.1");
		out(list, "10.0.0.1");
	}
}

static void test_null_and_bad_addresses(void **state)
{
	static const char *const bad_addrs[] = {
		"", "abc", "10.0.0", "10.0.0.1/32", "10.0.0.256", " 10.0.0.1",
		"10.0.0.1 ", "::1/128", "fe80::1%eth0", "10.0.0.1,10.0.0.2",
	};
	size_t i;

	(void)state;
	assert_false(cidr_list_match(NULL, "10.0.0.1"));
	assert_false(cidr_list_match("10.0.0.0/8", NULL));
	assert_false(cidr_list_match(NULL, NULL));
	for (i = 0; i < COUNT(bad_addrs); i++)
		out("0.0.0.0/0,::/0", bad_addrs[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_prefix_is_digits_only),
		cmocka_unit_test(test_ipv4_boundaries),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_ipv4_mapped),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_list_trailing_spaces),
		cmocka_unit_test(test_malformed_entries),
		cmocka_unit_test(test_null_and_bad_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
