/** The admin page's stylesheet. */
export const ADMIN_CSS = `body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1rem; color: #1d2330; }
h1 { font-size: 1.4rem; margin-bottom: 0; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid #d8dce4; padding: .3rem .5rem; text-align: left; vertical-align: top; word-break: break-all; }
th { background: #f2f4f8; } form { display: flex; gap: .4rem; flex-wrap: wrap; margin: .4rem 0; }
input, select, button { font: inherit; padding: .25rem .4rem; } .deny { color: #a11; } .allow { color: #075; }
#secret { font-family: monospace; }
`;
