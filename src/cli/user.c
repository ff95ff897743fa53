/* user.c: `cxm user add|list|passwd|grant|revoke`. */
#include "cli.h"

#include "core/entity.h"
#include "ops/ops.h"
#include "store/accounts.h"
#include "store/store.h"
#include "util/secret.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fputs("Usage: cxm user add --email E --name N [--role ROLE --org ID] [--db PATH]\n"
	      "       cxm user list [--db PATH]\n"
	      "       cxm user passwd --email E [--db PATH]\n"
	      "       cxm user grant --email E --role ROLE [--org ID] [--db PATH]\n"
	      "       cxm user revoke --email E (--org ID | --role admin) [--db PATH]\n"
	      "\n"
	      "ROLE is admin (everything, everywhere) or viewer, facilitator or\n"
	      "analyst over organization ID and everything under it.\n"
	      "\n"
	      "add and passwd read the password from the first line of standard\n"
	      "input when it is not a terminal; otherwise they make one up and\n"
	      "print it once.  Passwords have at least 12 characters.\n", out);
}

struct user_opts {
	const char *email, *name, *role;
	long long org;
	int help;
};

static int parse(int argc, char **argv, struct config *cfg,
		 struct user_opts *o)
{
	static const struct option opts[] = {
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "org", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct errinfo ei;
	char *end;
	int c;

	memset(o, 0, sizeof *o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'e': o->email = optarg; break;
		case 'n': o->name = optarg; break;
		case 'r': o->role = optarg; break;
		case 'o':
			o->org = strtoll(optarg, &end, 10);
			if (*end || o->org <= 0)
				return cli_usage_error("user", "--org must be an organization id");
			break;
		case 'd':
			errinfo_clear(&ei);
			if (config_set(cfg, "db", optarg, &ei)) {
				fprintf(stderr, "cxm: %s\n", ei.message);
				return CLI_USAGE;
			}
			break;
		case 'h': o->help = 1; return 0;
		default:
			return cli_usage_error("user", "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("user", "unexpected argument '%s'",
				       argv[optind]);
	return 0;
}

/* The password: the first line of stdin, or a generated one (printed). */
static int read_password(char *out, size_t cap, bool *generated)
{
	size_t n;

	*generated = false;
	if (isatty(STDIN_FILENO)) {
		secret_password_generate(out);
		*generated = true;
		return 0;
	}
	if (!fgets(out, (int)cap, stdin))
		out[0] = '\0';
	n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	if (!n) {
		fputs("cxm: standard input gave no password\n", stderr);
		return CLI_USER_ERROR;
	}
	return 0;
}

static int find_user(struct store *s, struct arena *a, const char *email,
		     struct user *u)
{
	char norm[ENTITY_EMAIL_MAX + 1];
	struct store_conn *c;
	struct errinfo ei;
	int rc;

	if (!email)
		return cli_usage_error("user", "--email is required");
	if (!entity_email_normalize(email, norm, sizeof norm)) {
		fprintf(stderr, "cxm: --email: '%s' is not an email address\n", email);
		return CLI_USER_ERROR;
	}
	errinfo_clear(&ei);
	c = store_acquire(s);
	rc = store_user_by_email(c, a, norm, u, &ei);
	store_release(c);
	if (rc == ERR_NOTFOUND) {
		fprintf(stderr, "cxm: no user with email %s\n", norm);
		return CLI_USER_ERROR;
	}
	return rc ? cli_fail(&ei) : 0;
}

static int grant(struct store *s, const struct actor *who, int64_t user_id,
		 const char *role_text, long long org, bool revoke)
{
	enum role role = role_parse(role_text);
	struct store_conn *c;
	struct errinfo ei;
	int rc;

	errinfo_clear(&ei);
	if (role_text && role == ROLE_UNSET)
		return cli_usage_error("user", "--role must be admin, viewer, "
				       "facilitator or analyst");
	if (role != ROLE_ADMIN && !org)
		return cli_usage_error("user", "--org is required for this role");
	c = store_acquire(s);
	if (role == ROLE_ADMIN)
		rc = ops_user_set_admin(c, who, user_id, !revoke, &ei);
	else if (revoke)
		rc = ops_grant_delete(c, who, user_id, org, &ei);
	else
		rc = ops_grant_set(c, who, user_id, org, role, &ei);
	store_release(c);
	if (rc == ERR_INVALID && !ei.ndetails)
		errinfo_set(&ei, rc, "organization %lld does not exist", org);
	return rc ? cli_fail(&ei) : 0;
}

static int cmd_add(struct store *s, const struct actor *who,
		   const struct user_opts *o)
{
	char password[SECRET_PASSWORD_MAX + 2];
	struct store_conn *c;
	struct errinfo ei;
	bool generated, admin = o->role && strcmp(o->role, "admin") == 0;
	int64_t id = 0;
	int rc;

	if (!o->email || !o->name)
		return cli_usage_error("user", "add needs --email and --name");
	if (o->role && role_parse(o->role) == ROLE_UNSET)
		return cli_usage_error("user", "--role must be admin, viewer, "
				       "facilitator or analyst");
	if (o->role && !admin && !o->org)
		return cli_usage_error("user", "--org is required for this role");
	rc = read_password(password, sizeof password, &generated);
	if (rc)
		return rc;
	errinfo_clear(&ei);
	c = store_acquire(s);
	rc = ops_user_create(c, who, o->email, o->name, password, admin, &id, &ei);
	store_release(c);
	if (rc) {
		secret_wipe(password, sizeof password);
		if (ei.ndetails) {
			fprintf(stderr, "cxm: --%s: %s\n", ei.details[0].field,
				ei.details[0].message);
			return CLI_USER_ERROR;
		}
		return cli_fail(&ei);
	}
	if (o->role && !admin && (rc = grant(s, who, id, o->role, o->org, false))) {
		secret_wipe(password, sizeof password);
		return rc;
	}
	printf("Added user %lld (%s).\n", (long long)id, o->email);
	if (generated)
		printf("Password (shown only now): %s\n", password);
	secret_wipe(password, sizeof password);
	return CLI_OK;
}

static int cmd_list(struct store *s)
{
	struct arena a;
	struct user *u;
	struct user_grant *g;
	struct store_conn *c = store_acquire(s);
	struct errinfo ei;
	size_t n, ng, i, j;
	int rc;

	arena_init(&a, 0);
	errinfo_clear(&ei);
	rc = store_user_list(c, &a, &u, &n, &ei);
	if (!rc && !n)
		printf("No users yet. Add the first administrator with:\n"
		       "  cxm user add --email you@agency.gov --name 'Your Name' --role admin\n");
	for (i = 0; !rc && i < n; i++) {
		printf("%lld\t%s\t%s\t%s", (long long)u[i].id, u[i].email,
		       u[i].name, u[i].is_admin ? "admin" : "-");
		rc = store_grant_list(c, &a, u[i].id, &g, &ng, &ei);
		for (j = 0; !rc && j < ng; j++)
			printf("%s%s@%lld", j ? "," : "\t", role_name(g[j].role),
			       (long long)g[j].org_id);
		putchar('\n');
	}
	store_release(c);
	arena_release(&a);
	return rc ? cli_fail(&ei) : CLI_OK;
}

static int cmd_passwd(struct store *s, const struct actor *who,
		      const struct user_opts *o)
{
	char password[SECRET_PASSWORD_MAX + 2];
	struct arena a;
	struct user u;
	struct store_conn *c;
	struct errinfo ei;
	bool generated;
	int rc;

	arena_init(&a, 0);
	rc = find_user(s, &a, o->email, &u);
	if (!rc)
		rc = read_password(password, sizeof password, &generated);
	if (rc) {
		arena_release(&a);
		return rc;
	}
	errinfo_clear(&ei);
	c = store_acquire(s);
	rc = ops_user_set_password(c, who, u.id, password, &ei);
	store_release(c);
	arena_release(&a);
	if (rc) {
		secret_wipe(password, sizeof password);
		return cli_fail(&ei);
	}
	printf("Password changed; the user's sessions were ended.\n");
	if (generated)
		printf("Password (shown only now): %s\n", password);
	secret_wipe(password, sizeof password);
	return CLI_OK;
}

int cli_user(int argc, char **argv)
{
	struct config cfg;
	struct user_opts o;
	struct store *s = NULL;
	struct actor who;
	char label[128];
	const char *sub = argc > 1 ? argv[1] : NULL;
	struct arena a;
	struct user u;
	int rc;

	if (!sub || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		usage(sub ? stdout : stderr);
		return sub ? CLI_OK : CLI_USAGE;
	}
	rc = cli_config_from_env(&cfg);
	if (!rc)
		rc = parse(argc - 1, argv + 1, &cfg, &o);
	if (rc)
		return rc;
	if (o.help) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "passwd") &&
	    strcmp(sub, "grant") && strcmp(sub, "revoke"))
		return cli_usage_error("user", "unknown subcommand '%s'", sub);
	rc = cli_open_store(&cfg, &s);
	if (rc)
		return rc;
	cli_actor(&who, label, sizeof label);
	arena_init(&a, 0);
	if (strcmp(sub, "add") == 0)
		rc = cmd_add(s, &who, &o);
	else if (strcmp(sub, "list") == 0)
		rc = cmd_list(s);
	else if (strcmp(sub, "passwd") == 0)
		rc = cmd_passwd(s, &who, &o);
	else if (!o.role && !(strcmp(sub, "revoke") == 0 && o.org))
		rc = cli_usage_error("user", "%s needs --role", sub);
	else if (!(rc = find_user(s, &a, o.email, &u))) {
		rc = grant(s, &who, u.id, o.role, o.org, strcmp(sub, "revoke") == 0);
		if (!rc)
			printf("%s: done.\n", u.email);
	}
	arena_release(&a);
	store_close(s);
	return rc;
}
