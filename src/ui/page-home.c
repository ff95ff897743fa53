/* page-home.c: the home page: what cxm is and what people do with it. */
#include "pages.h"

#include "ui/layout.h"

struct feature { const char *title, *text; };

static const struct feature FEATURES[] = {
	{ "Assess maturity",
	  "Rate a program or service against a customer-experience maturity "
	  "model (the GSA CX maturity model, the DHS model, or your own "
	  "tailored version), alone or as a facilitated workshop." },
	{ "Surface disagreement",
	  "In a live workshop everyone rates at once; cxm shows where the team "
	  "disagrees so the conversation goes where it matters, and records "
	  "what the group agrees." },
	{ "Plan the next level",
	  "Results per core function become a roadmap of tactics phased "
	  "Ready, Set and Grow, each linked to toolkit resources, case "
	  "studies and the support your CX office can offer." },
	{ "Hear your customers",
	  "Collect post-transaction feedback in the OMB Circular A-11 Section "
	  "280 style on hosted pages, embedded forms or the API, watch it on "
	  "dashboards and export it each quarter." },
	{ "See the whole portfolio",
	  "CX offices see where every component and service stands, how it "
	  "has moved over time, and where to send help." },
};

int page_home(struct req *r, struct resp *w)
{
	struct html h;
	struct layout l = { .title = "Home", .current = NAV_HOME, .r = r };
	size_t i;

	html_init(&h, &w->body);
	layout_begin(&h, &l);
	html_elem(&h, EL_H1, "Customer experience maturity, measured and grown",
		  ATTR__END);
	html_elem(&h, EL_P, "cxm helps government organizations measure and "
		  "grow their customer-experience maturity and hear the voice "
		  "of the people they serve, in one place that works in any "
		  "browser, with or without JavaScript.",
		  ATTR_CLASS, "usa-intro", ATTR__END);
	html_elem(&h, EL_H2, "What you can do with cxm", ATTR__END);
	html_open(&h, EL_UL, ATTR_CLASS, "usa-card-group", ATTR__END);
	for (i = 0; i < sizeof FEATURES / sizeof FEATURES[0]; i++) {
		html_open(&h, EL_LI, ATTR_CLASS,
			  "usa-card tablet:grid-col-6 desktop:grid-col-4",
			  ATTR__END);
		html_open(&h, EL_DIV, ATTR_CLASS, "usa-card__container",
			  ATTR__END);
		html_open(&h, EL_DIV, ATTR_CLASS, "usa-card__header", ATTR__END);
		html_elem(&h, EL_H3, FEATURES[i].title, ATTR_CLASS,
			  "usa-card__heading", ATTR__END);
		html_close(&h);
		html_open(&h, EL_DIV, ATTR_CLASS, "usa-card__body", ATTR__END);
		html_elem(&h, EL_P, FEATURES[i].text, ATTR__END);
		html_close(&h);
		html_close(&h);
		html_close(&h);
	}
	html_close(&h);
	html_elem(&h, EL_H2, "Who it is for", ATTR__END);
	html_elem(&h, EL_P, "CX leads and facilitators who run assessments, "
		  "analysts who build surveys and report to OMB, workshop "
		  "participants who join by link, and members of the public "
		  "who answer a short survey without an account.", ATTR__END);
	html_elem(&h, EL_H2, "For developers and integrators", ATTR__END);
	html_open(&h, EL_P, ATTR__END);
	html_text(&h, "A JSON API lives under ");
	html_elem(&h, EL_CODE, "/api/v1", ATTR__END);
	html_text(&h, ". Check the service with ");
	html_elem(&h, EL_A, "/healthz", ATTR_HREF, "/healthz", ATTR_CLASS,
		  "usa-link", ATTR__END);
	html_text(&h, ".");
	html_close(&h);
	layout_end(&h, &l);
	return layout_respond(&h, w, 200);
}
