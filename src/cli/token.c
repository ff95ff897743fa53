/* token.c: `cxm token create|list|revoke`. */
#include "cli.h"

#include "core/entity.h"
#include "ops/ops.h"
#include "store/accounts.h"
#include "store/store.h"
#include "util/secret.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
	fputs("Usage: cxm token create --email E --name N [--expires DAYS] [--db PATH]\n"
	      "       cxm token list [--email E] [--db PATH]\n"
	      "       cxm token revoke ID [--db PATH]\n"
	      "\n"
	      "create prints a new API token once; cxm keeps only its hash.  Send\n"
	      "it as 'Authorization: Bearer TOKEN'; it acts as that user, with\n"
	      "that user's roles.  DAYS is 1 to 3650 (default: no expiry).\n", out);
}

static void print_time(int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t) {
		fputs("-", stdout);
		return;
	}
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%MZ", &tm);
	fputs(buf, stdout);
}

int cli_token(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "expires", required_argument, NULL, 'x' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub = argc > 1 ? argv[1] : NULL, *email = NULL, *name = NULL;
	char norm[ENTITY_EMAIL_MAX + 1], token[SECRET_TOKEN_TEXT + 8], label[128];
	long long days = 0, id = 0;
	struct config cfg;
	struct store *s = NULL;
	struct store_conn *c;
	struct actor who;
	struct errinfo ei;
	struct arena a;
	struct user u;
	char *end;
	int ch, rc;

	if (!sub || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		usage(sub ? stdout : stderr);
		return sub ? CLI_OK : CLI_USAGE;
	}
	rc = cli_config_from_env(&cfg);
	if (rc)
		return rc;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'e': email = optarg; break;
		case 'n': name = optarg; break;
		case 'x':
			days = strtoll(optarg, &end, 10);
			if (*end || days < 1 || days > 3650)
				return cli_usage_error("token",
					"--expires must be 1 to 3650 days");
			break;
		case 'd':
			errinfo_clear(&ei);
			if (config_set(&cfg, "db", optarg, &ei)) {
				fprintf(stderr, "cxm: %s\n", ei.message);
				return CLI_USAGE;
			}
			break;
		case 'h': usage(stdout); return CLI_OK;
		default:
			return cli_usage_error("token", "unknown or incomplete option '%s'",
					       argv[optind]);
		}
	}
	if (strcmp(sub, "revoke") == 0) {
		if (optind + 1 >= argc)
			return cli_usage_error("token", "revoke needs the token ID");
		id = strtoll(argv[optind + 1], &end, 10);
		if (*end || id <= 0)
			return cli_usage_error("token", "'%s' is not a token ID",
					       argv[optind + 1]);
		optind++;
	}
	if (optind + 1 < argc)
		return cli_usage_error("token", "unexpected argument '%s'",
				       argv[optind + 1]);
	if (strcmp(sub, "create") && strcmp(sub, "list") && strcmp(sub, "revoke"))
		return cli_usage_error("token", "unknown subcommand '%s'", sub);
	if (strcmp(sub, "create") == 0 && (!email || !name))
		return cli_usage_error("token", "create needs --email and --name");
	if (email && !entity_email_normalize(email, norm, sizeof norm)) {
		fprintf(stderr, "cxm: --email: '%s' is not an email address\n", email);
		return CLI_USER_ERROR;
	}
	rc = cli_open_store(&cfg, &s);
	if (rc)
		return rc;
	cli_actor(&who, label, sizeof label);
	arena_init(&a, 0);
	errinfo_clear(&ei);
	c = store_acquire(s);
	u.id = 0;
	if (email) {
		rc = store_user_by_email(c, &a, norm, &u, &ei);
		if (rc == ERR_NOTFOUND)
			errinfo_set(&ei, rc, "no user with email %s", norm);
	}
	if (rc) {
		rc = cli_fail(&ei);
	} else if (strcmp(sub, "create") == 0) {
		int64_t tid = 0;
		rc = ops_token_create(c, &who, u.id, name, days, token,
				      sizeof token, &tid, &ei);
		if (rc) {
			rc = cli_fail(&ei);
		} else {
			printf("Token %lld for %s (shown only now):\n%s\n",
			       (long long)tid, norm, token);
			secret_wipe(token, sizeof token);
		}
	} else if (strcmp(sub, "list") == 0) {
		struct api_token *t;
		size_t n, i;
		rc = store_token_list(c, &a, u.id, &t, &n, &ei);
		if (rc)
			rc = cli_fail(&ei);
		else if (!n)
			printf("No API tokens.\n");
		for (i = 0; !rc && i < n; i++) {
			printf("%lld\t%s\t%s\tcreated ", (long long)t[i].id,
			       t[i].user_email, t[i].name);
			print_time(t[i].created_at);
			fputs("\tlast used ", stdout);
			print_time(t[i].last_used_at);
			fputs("\texpires ", stdout);
			print_time(t[i].expires_at);
			printf("\t%s\n", t[i].revoked_at ? "revoked" : "active");
		}
	} else {
		rc = ops_token_revoke(c, &who, id, 0, &ei);
		if (rc)
			rc = cli_fail(&ei);
		else
			printf("Token %lld revoked.\n", id);
	}
	store_release(c);
	arena_release(&a);
	store_close(s);
	return rc;
}
