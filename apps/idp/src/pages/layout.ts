import { html, SafeHtml } from '@ema/html';

/** Where the IdP serves `@simplewebauthn/browser` (its UMD bundle, global `SimpleWebAuthnBrowser`). */
export const WEBAUTHN_SCRIPT_PATH = '/assets/webauthn.js';
/** Where the IdP serves its own passkey script (`assets/passkey.js`). */
export const PASSKEY_SCRIPT_PATH = '/assets/passkey.js';

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #2f5bd3; --bad: #b42318; --ok: #067647; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f5f6f8; }
header { background: #fff; border-bottom: 1px solid var(--line); padding: .75rem 1.5rem; display: flex; gap: 1.5rem; align-items: center; flex-wrap: wrap; }
header strong { font-size: 1.05rem; }
header nav a { margin-right: 1rem; color: var(--accent); text-decoration: none; }
main { max-width: 70rem; margin: 1.5rem auto; padding: 0 1.5rem; }
main.narrow { max-width: 26rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem 1.5rem; margin-bottom: 1.25rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; } h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
label { display: block; margin: .6rem 0 .2rem; font-weight: 600; font-size: .9rem; }
input[type=text], input[type=password], input[type=email], input[type=number], select, textarea { width: 100%; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
button { margin-top: .9rem; padding: .5rem 1rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
button.danger { background: var(--bad); } button.small { margin: 0; padding: .2rem .6rem; font-size: .85rem; }
button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
table { width: 100%; border-collapse: collapse; font-size: .9rem; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
code, pre { font: .85rem ui-monospace, SFMono-Regular, Menlo, monospace; } pre { white-space: pre-wrap; word-break: break-word; margin: 0; }
.error { color: var(--bad); font-weight: 600; } .ok { color: var(--ok); font-weight: 600; } .muted { color: var(--muted); }
.inline { display: inline; } .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0 1rem; }
`;

/** Options of {@link page}. */
export interface PageOptions {
  readonly title: string;
  readonly body: SafeHtml;
  /** A navigation bar (the admin console's). */
  readonly nav?: SafeHtml;
  /** Narrow column (sign-in and message pages). */
  readonly narrow?: boolean;
  /**
   * Loads the passkey scripts (`@simplewebauthn/browser` and the IdP's own `passkey.js`, both from this origin).
   * Only pages sent with the scripted CSP (`script-src 'self'`) may set it; every other page runs no script.
   */
  readonly passkeyScripts?: boolean;
}

/**
 * The HTML document around every page: server-rendered, one small stylesheet, and no script except the two
 * same-origin passkey scripts on the pages that ask for them.
 */
export function page(options: PageOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} · Acme IdP</title>
<style>${new SafeHtml(STYLE)}</style>
${
  options.passkeyScripts === true
    ? html`<script src="${WEBAUTHN_SCRIPT_PATH}" defer></script>
<script src="${PASSKEY_SCRIPT_PATH}" defer></script>`
    : ''
}
</head>
<body>
<header><strong>Acme IdP</strong>${options.nav}</header>
<main class="${options.narrow === true ? 'narrow' : ''}">
${options.body}
</main>
</body>
</html>
`.value;
}
