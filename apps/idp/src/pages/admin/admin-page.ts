import { html, type SafeHtml } from '@ema/html';
import { page } from '../layout.js';

const SECTIONS = [
  ['/admin/users', 'Users'],
  ['/admin/groups', 'Groups'],
  ['/admin/clients', 'Clients'],
  ['/admin/resources', 'Resources'],
  ['/admin/policy', 'Policy'],
  ['/admin/what-if', 'What if'],
  ['/admin/audit', 'Audit log'],
  ['/admin/keys', 'Signing keys'],
] as const;

/** What every console page shows around its content. */
export interface AdminPageOptions {
  readonly title: string;
  readonly adminName: string;
  readonly csrfToken: string;
  readonly notice?: string | undefined;
  readonly error?: string | undefined;
  readonly content: SafeHtml;
}

/** A console page: navigation, sign-out, notice or error (`role="status"` / `role="alert"`), content. */
export function adminPage(options: AdminPageOptions): string {
  const nav = html`<nav>${SECTIONS.map(([href, text]) => html`<a href="${href}">${text}</a>`)}</nav>
<form class="inline" method="post" action="/logout"><input type="hidden" name="csrf_token" value="${options.csrfToken}">
<span class="muted">${options.adminName}</span> <button class="small" type="submit">Sign out</button></form>`;
  const body = html`<h1>${options.title}</h1>
${options.notice === undefined ? '' : html`<p class="ok" role="status">${options.notice}</p>`}
${options.error === undefined ? '' : html`<p class="error" role="alert">${options.error}</p>`}
${options.content}`;
  return page({ title: options.title, nav, body });
}

/** A hidden CSRF field for console forms. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="csrf_token" value="${token}">`;
}

/** A one-button POST form (delete, rotate). */
export function actionButton(action: string, csrfToken: string, text: string, danger = false): SafeHtml {
  return html`<form class="inline" method="post" action="${action}">${csrfField(csrfToken)}<button class="small${danger ? ' danger' : ''}" type="submit">${text}</button></form>`;
}

/** A labelled text input. */
export function field(
  name: string,
  label: string,
  options: { value?: string; type?: string; required?: boolean; placeholder?: string; id?: string } = {},
): SafeHtml {
  const id = options.id ?? name;
  return html`<div><label for="${id}">${label}</label><input type="${options.type ?? 'text'}" id="${id}" name="${name}" value="${options.value ?? ''}" placeholder="${options.placeholder ?? ''}"${options.required === true ? html` required` : ''}></div>`;
}

/** A labelled textarea. */
export function textArea(name: string, label: string, placeholder = ''): SafeHtml {
  return html`<div><label for="${name}">${label}</label><textarea id="${name}" name="${name}" rows="2" placeholder="${placeholder}"></textarea></div>`;
}

/** A labelled select. */
export function select(name: string, label: string, options: readonly (readonly [string, string])[]): SafeHtml {
  return html`<div><label for="${name}">${label}</label><select id="${name}" name="${name}">${options.map(([value, text]) => html`<option value="${value}">${text}</option>`)}</select></div>`;
}

/** A labelled checkbox. */
export function checkbox(name: string, label: string, checked = false): SafeHtml {
  return html`<div><label><input type="checkbox" name="${name}" value="on"${checked ? html` checked` : ''}> ${label}</label></div>`;
}
