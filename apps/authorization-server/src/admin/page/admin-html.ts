/** The admin page's markup: static, no data in it; the script fills it in from the admin JSON API. */
export const ADMIN_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RAS administration</title>
<link rel="stylesheet" href="/admin/admin.css">
<script src="/admin/admin.js" defer></script>
</head>
<body>
<header><h1>Resource authorization server</h1><p>Registries and audit log of the ID-JAG redemption endpoint.</p></header>
<section id="login">
  <form id="token-form"><label>Admin API token <input id="token" type="password" autocomplete="off" required></label>
  <button>Open</button></form>
  <p id="status" role="status"></p>
</section>
<main id="main" hidden>
  <section><h2>Trusted IdPs</h2><table id="idps"></table>
    <form id="idp-form"><input name="issuer" placeholder="issuer" required><input name="jwks_uri" placeholder="jwks_uri" required>
    <input name="algorithms" placeholder="ES256"><button>Trust</button></form></section>
  <section><h2>Resources (MCP servers)</h2><table id="resources"></table>
    <form id="resource-form"><input name="resource" placeholder="resource" required><input name="name" placeholder="name" required>
    <input name="scopes" placeholder="scopes (space-separated)" required><button>Save</button></form></section>
  <section><h2>Clients</h2><table id="clients"></table>
    <form id="client-form"><input name="client_id" placeholder="client_id" required><input name="name" placeholder="name" required>
    <button>Register</button></form>
    <form id="grant-form"><input name="client_id" placeholder="client_id" required><input name="resource" placeholder="resource" required>
    <input name="scopes" placeholder="scopes (space-separated)" required><button>Allow</button></form>
    <p id="secret" role="alert"></p></section>
  <section><h2>Subjects</h2><table id="subjects"></table></section>
  <section><h2>Audit log</h2>
    <form id="audit-form"><input name="type" placeholder="type"><select name="outcome"><option value="">any outcome</option>
    <option>allow</option><option>deny</option><option>info</option></select><input name="client_id" placeholder="client_id">
    <input name="subject" placeholder="subject"><button>Filter</button></form>
    <table id="audit"></table></section>
</main>
</body>
</html>
`;
