/** The page frame: header with navigation and the signed-in user, and the house CSS. */
import { CSRF_FIELD, html, SafeHtml } from '@ema/html';

/** Who is signed in, and the token for the sign-out form. */
export interface PageUser {
  name: string;
  csrfToken: string;
}

const CSS = `
:root { --ink:#1d2433; --muted:#5b6476; --line:#d9dee8; --bg:#f6f7fb; --accent:#2456d3; --bad:#b42318; --warn:#9a6700; --ok:#1a7f37; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }
header { display:flex; align-items:center; gap:1.5rem; padding:.75rem 1.5rem; background:#fff; border-bottom:1px solid var(--line); }
header .brand { font-weight:700; }
header nav { display:flex; gap:1rem; flex:1; }
header a { color:var(--accent); text-decoration:none; }
main { max-width:1040px; margin:1.5rem auto; padding:0 1.5rem; }
h1 { font-size:1.5rem; margin:.25rem 0 1rem; }
h2 { font-size:1.15rem; margin:1.5rem 0 .5rem; }
h3 { font-size:1rem; margin:1rem 0 .25rem; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:1rem 1.25rem; margin:.75rem 0; }
.muted { color:var(--muted); }
.row { display:flex; gap:.75rem; align-items:center; flex-wrap:wrap; }
button, .button { font:inherit; padding:.45rem .9rem; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; text-decoration:none; display:inline-block; }
button.secondary { background:#fff; color:var(--accent); }
form.inline { display:inline; }
label { display:block; font-weight:600; margin:.5rem 0 .2rem; }
label .muted { font-weight:400; }
input[type=text], input[type=number], select, textarea { width:100%; max-width:32rem; font:inherit; padding:.4rem .5rem; border:1px solid var(--line); border-radius:6px; }
textarea { min-height:4rem; font-family:ui-monospace, monospace; }
.alert { border-radius:8px; padding:.9rem 1.1rem; margin:1rem 0; border:1px solid; background:#fff; }
.alert h2 { margin-top:0; }
.alert.bad { border-color:#f1aeb5; background:#fdf1f2; }
.alert.warn { border-color:#f0d48a; background:#fff8e5; }
.alert.ok { border-color:#9fd8b0; background:#effaf2; }
.status { font-weight:600; }
.status.ok { color:var(--ok); }
.status.bad { color:var(--bad); }
pre { background:#0f1729; color:#e6edf7; padding:.75rem; border-radius:6px; overflow:auto; font-size:13px; }
code { font-family:ui-monospace, monospace; font-size:13px; }
table.kv { border-collapse:collapse; width:100%; font-size:13px; }
table.kv td { border-top:1px solid var(--line); padding:.3rem .5rem; vertical-align:top; word-break:break-all; }
table.kv td:first-child { width:14rem; color:var(--muted); word-break:normal; }
details { margin:.5rem 0; }
summary { cursor:pointer; font-weight:600; }
.step-number { display:inline-block; width:1.6rem; height:1.6rem; border-radius:50%; background:var(--accent); color:#fff; text-align:center; line-height:1.6rem; margin-right:.4rem; }
.badge { display:inline-block; padding:0 .45rem; border-radius:4px; background:#eef2ff; color:var(--accent); font-size:12px; font-weight:600; }
.badge.bad { background:#fdf1f2; color:var(--bad); }
`;

/** Wraps a page body in the frame. */
export function layout(title: string, body: SafeHtml, user?: PageUser): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Agent host</title>
<style>${new SafeHtml(CSS)}</style>
</head>
<body>
<header>
  <span class="brand">Agent host</span>
  ${
    user
      ? html`<nav><a href="/servers" data-testid="nav-servers">MCP servers</a><a href="/inspector" data-testid="nav-inspector">Flow inspector</a></nav>
  <span data-testid="user-name">${user.name}</span>
  <form class="inline" method="post" action="/auth/signout"><input type="hidden" name="${CSRF_FIELD}" value="${user.csrfToken}"><button type="submit" class="secondary" data-testid="sign-out">Sign out</button></form>`
      : html`<nav></nav>`
  }
</header>
<main>
${body}
</main>
</body>
</html>`;
}
