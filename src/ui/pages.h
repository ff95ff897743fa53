/* pages.h: HTML page handlers (one file each) and the error page. */
#ifndef CXM_PAGES_H
#define CXM_PAGES_H

#include "http/req.h"
#include "http/resp.h"

/* GET / : what cxm is and what you can do in it. */
int page_home(struct req *r, struct resp *w);

/* Sign in and out, and the signed-in user's own page (page-account.c). */
int page_login(struct req *r, struct resp *w);
int page_login_post(struct req *r, struct resp *w);
int page_logout(struct req *r, struct resp *w);
int page_account(struct req *r, struct resp *w);
int page_account_password(struct req *r, struct resp *w);
int page_account_token_create(struct req *r, struct resp *w);
int page_account_token_revoke(struct req *r, struct resp *w);

/* The organization tree (page-orgs.c). */
int page_orgs(struct req *r, struct resp *w);
int page_org_create(struct req *r, struct resp *w);
int page_org(struct req *r, struct resp *w);
int page_org_update(struct req *r, struct resp *w);
int page_org_delete(struct req *r, struct resp *w);

/* Services (page-services.c). */
int page_services(struct req *r, struct resp *w);
int page_service_create(struct req *r, struct resp *w);
int page_service(struct req *r, struct resp *w);
int page_service_update(struct req *r, struct resp *w);
int page_service_delete(struct req *r, struct resp *w);

/* Users, grants and tokens, for administrators (page-users.c). */
int page_users(struct req *r, struct resp *w);
int page_user_create(struct req *r, struct resp *w);
int page_user(struct req *r, struct resp *w);
int page_user_grant(struct req *r, struct resp *w);
int page_user_grant_delete(struct req *r, struct resp *w);
int page_user_admin(struct req *r, struct resp *w);
int page_user_password(struct req *r, struct resp *w);
int page_admin_token_revoke(struct req *r, struct resp *w);

/* The audit log, for administrators (page-audit.c). */
int page_audit(struct req *r, struct resp *w);

/* Renders the error page for status into w (title and message are
 * escaped).  0, or an error when even this cannot be built. */
int page_error(struct req *r, struct resp *w, int status, const char *title,
	       const char *message);

#endif
