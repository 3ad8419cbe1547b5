/** A minimal browser for tests: a cookie jar per origin, manual redirects, and form scraping. */

/** The hidden inputs and action of the first form in `page` whose action matches. */
export function formFields(page: string, action: RegExp): { action: string; fields: Record<string, string> } {
  for (const form of page.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const formAction = decode(form[1] ?? '');
    if (!action.test(formAction)) continue;
    const fields: Record<string, string> = {};
    for (const input of (form[2] ?? '').matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      const value = /value="([^"]*)"/.exec(input[0])?.[1];
      if (name !== undefined) fields[decode(name)] = decode(value ?? '');
    }
    return { action: formAction, fields };
  }
  throw new Error(`no form with action ${action}`);
}

function decode(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** See the module comment. */
export class TestBrowser {
  readonly #jar = new Map<string, Map<string, string>>();
  url = '';

  cookies(origin: string): Map<string, string> {
    let jar = this.#jar.get(origin);
    if (!jar) {
      jar = new Map();
      this.#jar.set(origin, jar);
    }
    return jar;
  }

  /** Requests `url` and follows redirects; returns the final response's body. */
  async go(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ status: number; body: string }> {
    let target = new URL(url, this.url || undefined);
    let method = init.method ?? (init.form ? 'POST' : 'GET');
    let body: URLSearchParams | undefined = init.form ? new URLSearchParams(init.form) : undefined;
    for (let hops = 0; hops < 15; hops += 1) {
      const jar = this.cookies(target.origin);
      const headers: Record<string, string> = {};
      if (jar.size > 0) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(target, { method, headers, redirect: 'manual', ...(body ? { body } : {}) });
      for (const setCookie of response.headers.getSetCookie()) {
        const [pair = ''] = setCookie.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(setCookie)) jar.delete(name);
        else jar.set(name, value);
      }
      this.url = target.href;
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        target = new URL(location, target);
        method = 'GET';
        body = undefined;
        continue;
      }
      return { status: response.status, body: await response.text() };
    }
    throw new Error('too many redirects');
  }

  /** Submits the form of `page` whose action matches, with its hidden fields plus `extra`. */
  async submit(
    page: string,
    action: RegExp,
    extra: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    const form = formFields(page, action);
    return this.go(new URL(form.action, this.url).href, { form: { ...form.fields, ...extra } });
  }
}
