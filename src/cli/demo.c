/* demo.c: the sample agency `cxm init --demo` loads into a new database. */
#include "cli.h"

#include "ops/ops.h"
#include "store/accounts.h"
#include "store/store.h"
#include "util/secret.h"

#include <string.h>

struct demo_org { const char *name, *short_name, *kind; int parent; };
struct demo_service {
	int org;
	const char *name, *description;
	const char *channels[4];
	bool hisp;
	long long customers;
};
struct demo_user { const char *email, *name, *role; int org; };

static const struct demo_org ORGS[] = {
	{ "Department of Example Services", "DES", "department", -1 },
	{ "Benefits Administration", "BA", "component", 0 },
	{ "Travel and Identity Office", "TIO", "component", 0 },
	{ "Small Business Programs", "SBP", "component", 0 },
};

static const struct demo_service SERVICES[] = {
	{ 1, "Apply for retirement benefits",
	  "Online and in-person applications for monthly retirement benefits.",
	  { "website", "phone", "in_person", NULL }, true, 2400000 },
	{ 1, "Replace a benefits card",
	  "Request a replacement card after loss or damage.",
	  { "website", "mobile_app", NULL }, false, 800000 },
	{ 2, "Renew a travel document",
	  "Renew an expiring travel document by mail or online.",
	  { "website", "postal_mail", NULL }, true, 5200000 },
	{ 2, "Schedule an identity appointment",
	  "Book, change or cancel an in-person identity check.",
	  { "website", "phone", "automated_phone", NULL }, false, 950000 },
	{ 3, "Apply for a small business loan guarantee",
	  "Lenders and owners apply for a federal loan guarantee.",
	  { "website", "email", NULL }, true, 60000 },
	{ 3, "Get counseling from a business advisor",
	  "Free one-on-one advice, online or at a local center.",
	  { "website", "in_person", "live_chat", NULL }, false, 310000 },
};

static const struct demo_user USERS[] = {
	{ "admin@demo.example", "Avery Admin", "admin", -1 },
	{ "analyst@demo.example", "Ana Analyst", "analyst", 0 },
	{ "facilitator@demo.example", "Fran Facilitator", "facilitator", 1 },
	{ "viewer@demo.example", "Val Viewer", "viewer", 0 },
};

enum { NORGS = sizeof ORGS / sizeof ORGS[0],
       NSERVICES = sizeof SERVICES / sizeof SERVICES[0],
       NUSERS = sizeof USERS / sizeof USERS[0] };

int cli_demo_load(struct store *s)
{
	struct store_conn *c = store_acquire(s);
	char label[128], passwords[NUSERS][21];
	int64_t org_ids[NORGS], user_id, nusers = 0;
	struct arena a;
	struct org *existing;
	size_t norgs = 0, i, k;
	struct actor who;
	struct errinfo ei;
	int rc;

	cli_actor(&who, label, sizeof label);
	errinfo_clear(&ei);
	arena_init(&a, 0);
	rc = store_tx_begin(c, &ei);
	if (!rc)
		rc = store_user_count(c, &nusers, &ei);
	if (!rc)
		rc = store_org_list(c, &a, 0, &existing, &norgs, &ei);
	if (!rc && (nusers || norgs))
		rc = errinfo_set(&ei, ERR_CONFLICT, "--demo loads only into an "
				 "empty database, and this one has users or "
				 "organizations already");
	for (i = 0; !rc && i < NORGS; i++) {
		struct org_input in = { .name = ORGS[i].name,
			.short_name = ORGS[i].short_name, .kind = ORGS[i].kind,
			.parent_id = ORGS[i].parent >= 0 ? org_ids[ORGS[i].parent] : 0 };
		rc = ops_org_create(c, &who, &in, &org_ids[i], &ei);
	}
	for (i = 0; !rc && i < NSERVICES; i++) {
		struct service_input in = { .name = SERVICES[i].name,
			.description = SERVICES[i].description,
			.org_id = org_ids[SERVICES[i].org],
			.hisp = SERVICES[i].hisp,
			.annual_customers = SERVICES[i].customers };
		for (k = 0; k < 4 && SERVICES[i].channels[k]; k++)
			in.channels[in.nchannels++] = SERVICES[i].channels[k];
		rc = ops_service_create(c, &who, &in, NULL, &ei);
	}
	for (i = 0; !rc && i < NUSERS; i++) {
		bool admin = strcmp(USERS[i].role, "admin") == 0;
		secret_password_generate(passwords[i]);
		rc = ops_user_create(c, &who, USERS[i].email, USERS[i].name,
				     passwords[i], admin, &user_id, &ei);
		if (!rc && !admin)
			rc = ops_grant_set(c, &who, user_id,
					   org_ids[USERS[i].org],
					   role_parse(USERS[i].role), &ei);
	}
	if (rc)
		store_tx_rollback(c);
	else
		rc = store_tx_commit(c, &ei);
	store_release(c);
	arena_release(&a);
	if (rc) {
		secret_wipe(passwords, sizeof passwords);
		return cli_fail(&ei);
	}
	printf("Loaded the demo agency: %d organizations, %d services, %d users.\n"
	       "\n"
	       "  DEMO ONLY: these accounts and passwords are for trying cxm on\n"
	       "  this machine. They are shown only now. Never use them for real.\n"
	       "\n", (int)NORGS, (int)NSERVICES, (int)NUSERS);
	for (i = 0; i < NUSERS; i++)
		printf("  %-26s %-22s %s\n", USERS[i].email, passwords[i],
		       USERS[i].role);
	putchar('\n');
	secret_wipe(passwords, sizeof passwords);
	return CLI_OK;
}
