import { html, SafeHtml } from '@ema/html';

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #2f5bd3; --bad: #b42318; --warn: #93370d; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f5f6f8; }
header { background: #fff; border-bottom: 1px solid var(--line); padding: .75rem 1.5rem; }
main { max-width: 32rem; margin: 1.5rem auto; padding: 0 1.5rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem 1.5rem; margin-bottom: 1.25rem; }
h1 { font-size: 1.35rem; margin: 0 0 1rem; }
dl { margin: 0 0 1rem; } dt { font-weight: 600; font-size: .9rem; margin-top: .6rem; } dd { margin: 0; word-break: break-word; }
ul { padding-left: 1.2rem; } code { font: .85rem ui-monospace, SFMono-Regular, Menlo, monospace; }
button { margin: .9rem .5rem 0 0; padding: .5rem 1rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
button.secondary { background: #fff; color: var(--ink); border: 1px solid var(--line); }
.error { color: var(--bad); font-weight: 600; } .warning { color: var(--warn); } .muted { color: var(--muted); }
`;

/** The HTML document around every page of the authorization server: server-rendered, no script, no image. */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Acme Tickets authorization</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<header><strong>Acme Tickets</strong> <span class="muted">authorization server</span></header>
<main>
${body}
</main>
</body>
</html>
`.value;
}
