/* routes.c: the route table, the only place routes are declared, with the
 * role each one needs and where its organization scope comes from. */
#include "http/router.h"

#include "api/api.h"
#include "http/static.h"
#include "ui/pages.h"

enum { CSP_REPORT_LIMIT = 16 * 1024, FORM_LIMIT = 64 * 1024 };

#define PAGE ROUTE_HTML
#define FORM (ROUTE_HTML | ROUTE_BODY_FORM)
#define API ROUTE_JSON
#define API_BODY (ROUTE_JSON | ROUTE_BODY_JSON)

/* method, pattern, handler, role needed, scope, flags, body limit */
const struct route routes[] = {
	/* Public pages and files */
	{ HTTP_GET, "/", page_home, ROLE_PUBLIC, SCOPE_NONE, PAGE, 0 },
	{ HTTP_GET, "/static/{path...}", static_serve, ROLE_PUBLIC, SCOPE_NONE,
	  PAGE | ROUTE_ANON, 0 },
	{ HTTP_GET, "/login", page_login, ROLE_PUBLIC, SCOPE_NONE, PAGE, 0 },
	/* Sign-in checks its own double-submit token (it may come from
	 * someone signed in as somebody else). */
	{ HTTP_POST, "/login", page_login_post, ROLE_PUBLIC, SCOPE_NONE,
	  FORM | ROUTE_NO_CSRF, FORM_LIMIT },

	/* Signed-in pages */
	{ HTTP_POST, "/logout", page_logout, ROLE_SIGNED_IN, SCOPE_NONE, FORM, FORM_LIMIT },
	{ HTTP_GET, "/account", page_account, ROLE_SIGNED_IN, SCOPE_NONE, PAGE, 0 },
	{ HTTP_POST, "/account/password", page_account_password, ROLE_SIGNED_IN, SCOPE_NONE, FORM, FORM_LIMIT },
	{ HTTP_POST, "/account/tokens", page_account_token_create, ROLE_SIGNED_IN, SCOPE_NONE, FORM, FORM_LIMIT },
	{ HTTP_POST, "/account/tokens/{token}/revoke", page_account_token_revoke, ROLE_SIGNED_IN, SCOPE_NONE, FORM, FORM_LIMIT },

	/* Organizations and services */
	{ HTTP_GET, "/orgs", page_orgs, ROLE_VIEWER, SCOPE_NONE, PAGE, 0 },
	{ HTTP_POST, "/orgs", page_org_create, ROLE_ANALYST, SCOPE_BODY_PARENT, FORM, FORM_LIMIT },
	{ HTTP_GET, "/orgs/{id}", page_org, ROLE_VIEWER, SCOPE_ORG, PAGE, 0 },
	{ HTTP_POST, "/orgs/{id}", page_org_update, ROLE_ANALYST, SCOPE_ORG, FORM, FORM_LIMIT },
	{ HTTP_POST, "/orgs/{id}/delete", page_org_delete, ROLE_ANALYST, SCOPE_ORG, FORM, FORM_LIMIT },
	{ HTTP_GET, "/services", page_services, ROLE_VIEWER, SCOPE_NONE, PAGE, 0 },
	{ HTTP_POST, "/services", page_service_create, ROLE_FACILITATOR, SCOPE_BODY_ORG, FORM, FORM_LIMIT },
	{ HTTP_GET, "/services/{id}", page_service, ROLE_VIEWER, SCOPE_SERVICE, PAGE, 0 },
	{ HTTP_POST, "/services/{id}", page_service_update, ROLE_FACILITATOR, SCOPE_SERVICE, FORM, FORM_LIMIT },
	{ HTTP_POST, "/services/{id}/delete", page_service_delete, ROLE_FACILITATOR, SCOPE_SERVICE, FORM, FORM_LIMIT },

	/* Administration */
	{ HTTP_GET, "/admin/users", page_users, ROLE_ADMIN, SCOPE_NONE, PAGE, 0 },
	{ HTTP_POST, "/admin/users", page_user_create, ROLE_ADMIN, SCOPE_NONE, FORM, FORM_LIMIT },
	{ HTTP_GET, "/admin/users/{user}", page_user, ROLE_ADMIN, SCOPE_NONE, PAGE, 0 },
	{ HTTP_POST, "/admin/users/{user}/grants", page_user_grant, ROLE_ADMIN, SCOPE_NONE, FORM, FORM_LIMIT },
	{ HTTP_POST, "/admin/users/{user}/grants/delete", page_user_grant_delete, ROLE_ADMIN, SCOPE_NONE, FORM, FORM_LIMIT },
	{ HTTP_POST, "/admin/users/{user}/admin", page_user_admin, ROLE_ADMIN, SCOPE_NONE, FORM, FORM_LIMIT },
	{ HTTP_POST, "/admin/users/{user}/password", page_user_password, ROLE_ADMIN, SCOPE_NONE, FORM, FORM_LIMIT },
	{ HTTP_POST, "/admin/tokens/{token}/revoke", page_admin_token_revoke, ROLE_ADMIN, SCOPE_NONE, FORM, FORM_LIMIT },
	{ HTTP_GET, "/admin/audit", page_audit, ROLE_ADMIN, SCOPE_NONE, PAGE, 0 },

	/* Service health */
	{ HTTP_GET, "/healthz", api_healthz, ROLE_PUBLIC, SCOPE_NONE,
	  API | ROUTE_ANON, 0 },

	/* API v1 */
	{ HTTP_POST, "/api/v1/csp-reports", api_csp_report, ROLE_PUBLIC, SCOPE_NONE,
	  API_BODY | ROUTE_NO_CSRF | ROUTE_ANON, CSP_REPORT_LIMIT },
	{ HTTP_GET, "/api/v1/me", api_me, ROLE_SIGNED_IN, SCOPE_NONE, API, 0 },
	{ HTTP_GET, "/api/v1/orgs", api_orgs_list, ROLE_VIEWER, SCOPE_NONE, API, 0 },
	{ HTTP_POST, "/api/v1/orgs", api_org_create, ROLE_ANALYST, SCOPE_BODY_PARENT, API_BODY, 0 },
	{ HTTP_GET, "/api/v1/orgs/{id}", api_org_get, ROLE_VIEWER, SCOPE_ORG, API, 0 },
	{ HTTP_PATCH, "/api/v1/orgs/{id}", api_org_update, ROLE_ANALYST, SCOPE_ORG, API_BODY, 0 },
	{ HTTP_DELETE, "/api/v1/orgs/{id}", api_org_delete, ROLE_ANALYST, SCOPE_ORG, API, 0 },
	{ HTTP_GET, "/api/v1/services", api_services_list, ROLE_VIEWER, SCOPE_NONE, API, 0 },
	{ HTTP_POST, "/api/v1/services", api_service_create, ROLE_FACILITATOR, SCOPE_BODY_ORG, API_BODY, 0 },
	{ HTTP_GET, "/api/v1/services/{id}", api_service_get, ROLE_VIEWER, SCOPE_SERVICE, API, 0 },
	{ HTTP_PATCH, "/api/v1/services/{id}", api_service_update, ROLE_FACILITATOR, SCOPE_SERVICE, API_BODY, 0 },
	{ HTTP_DELETE, "/api/v1/services/{id}", api_service_delete, ROLE_FACILITATOR, SCOPE_SERVICE, API, 0 },
	{ HTTP_GET, "/api/v1/models", api_models_list, ROLE_SIGNED_IN, SCOPE_NONE, API, 0 },
	{ HTTP_POST, "/api/v1/models", api_model_import, ROLE_ADMIN, SCOPE_NONE, API, 0 },
	{ HTTP_GET, "/api/v1/models/{model}", api_model_get, ROLE_SIGNED_IN, SCOPE_NONE, API, 0 },
	{ HTTP_GET, "/api/v1/audit", api_audit, ROLE_ADMIN, SCOPE_NONE, API, 0 },
	{ HTTP_GET, "/api/v1/audit/events", api_audit_events, ROLE_ADMIN, SCOPE_NONE, API, 0 },
};

const size_t routes_count = sizeof routes / sizeof routes[0];
