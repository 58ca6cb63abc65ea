/*
 * csp: the Content-Security-Policy a page carries as a <meta http-equiv>
 * (`csp` in agentkb.yaml; README "Escaping and Content-Security-Policy").
 */
#ifndef AKB_CSP_H
#define AKB_CSP_H

#include "agentkb/buf.h"

/* The policy `csp: true` stands for; each page's inline scripts are added to its script-src as hashes. */
extern const char akb_csp_default[];
/*
 * The single file's policy (with any `csp`): it builds its pages and runs
 * the search index from its own data, as inline scripts no hash can name
 * ahead, so scripts are 'unsafe-inline'; it still may fetch nothing.
 */
extern const char akb_csp_bundle[];

/*
 * Puts `<meta http-equiv="Content-Security-Policy" content="...">` into the
 * page `html`: after its <meta charset>, else after <head>; a page with
 * neither is left as it is. With `hash_scripts`, the policy is `policy`
 * with a 'sha256-...' hash of each inline <script> of the page added at the
 * end of its script-src directive (when it has one), so the theme's own
 * inline scripts run and no other does.
 */
void akb_csp_insert(struct akb_buf *html, const char *policy, int hash_scripts);

#endif
