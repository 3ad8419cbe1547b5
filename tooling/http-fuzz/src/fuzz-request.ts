import fc from 'fast-check';
import type { FuzzDictionary } from './fuzz-dictionary.js';
import type { Route } from './route-table.js';

/** One generated request, in the shape of `app.inject`'s options. */
export interface FuzzRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string | Buffer;
  /** The route the request was aimed at (for the run's summary); `*` for a random path. */
  readonly target: string;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

// Text that breaks parsers: control characters, lone surrogates, percent-encoding that decodes to nothing valid,
// separators of every format the apps parse, numbers at the edges, prototype keys, and one long value.
const ODD = [
  '',
  ' ',
  '\u0000',
  '\uFFFD',
  '\uD800',
  '%',
  '%zz',
  '%C0%AF',
  '%00',
  '+',
  '&',
  '=',
  ';',
  ',',
  '"',
  "'",
  '\\',
  '..',
  '../..',
  '[]',
  '{}',
  '[',
  '{"a":',
  'null',
  'true',
  '0',
  '-1',
  '1e309',
  '9007199254740993',
  'NaN',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'a'.repeat(4096),
] as const;

const oddText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

/** Printable ASCII: what a Node HTTP server would let through in a header value. */
const headerText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 60 }),
  fc.constantFrom('', ' ', '%zz', 'null', ',', ';', '=', '"', 'a'.repeat(2000)),
);

function pick<T>(known: readonly T[] | undefined, random: fc.Arbitrary<T>, knownWeight = 3): fc.Arbitrary<T> {
  if (known === undefined || known.length === 0) return random;
  return fc.oneof({ weight: knownWeight, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: random });
}

function encode(text: string): string {
  // A lone surrogate cannot be percent-encoded: send U+FFFD, as a browser would.
  return encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
}

/** Either percent-encoded, or one of the raw odd tokens a client may send as they are. */
function urlPart(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: text.map(encode) },
    { weight: 1, arbitrary: fc.constantFrom('%zz', '%', '%C0%AF', '%00', '..', ';', '[]', '+', '%2e%2e', '%2F') },
  );
}

function pathOf(route: Route, dictionary: FuzzDictionary): fc.Arbitrary<string> {
  const segments = route.path.split('/');
  const parameter = urlPart(pick(dictionary.pathValues, oddText));
  return fc
    .tuple(
      ...segments.map((segment) => (segment.startsWith(':') || segment === '*' ? parameter : fc.constant(segment))),
      fc.oneof(
        { weight: 12, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: fc.constantFrom('/', '//', '/.', '.json', '?', '#x') },
      ),
    )
    .map((parts) => `${parts.slice(0, -1).join('/') || '/'}${parts.at(-1) ?? ''}`);
}

const randomPath = fc
  .array(urlPart(oddText), { minLength: 1, maxLength: 5 })
  .map((segments) => `/${segments.join('/')}`);

function queryOf(dictionary: FuzzDictionary): fc.Arbitrary<string> {
  const name = urlPart(pick(dictionary.parameterNames, oddText));
  const value = urlPart(pick(dictionary.values, oddText));
  return fc
    .array(fc.tuple(name, value, fc.boolean()), { maxLength: 6 })
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([n, v, bare]) => (bare ? n : `${n}=${v}`)).join('&')}`));
}

const CONTENT_TYPES = {
  form: ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8'],
  json: ['application/json', 'application/json; charset=utf-8', 'application/jwt', 'application/merge-patch+json'],
  other: [
    'text/plain',
    'text/html',
    'application/xml',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'application/json; charset=utf-16',
    '*/*',
    '',
    ';',
    'application/x-www-form-urlencoded; charset=iso-8859-1',
  ],
} as const;

function bodyOf(dictionary: FuzzDictionary): fc.Arbitrary<{ contentType: string | undefined; payload?: string }> {
  const name = pick(dictionary.parameterNames, oddText);
  const value = pick(dictionary.values, oddText);
  const form = fc
    .array(fc.tuple(name, value), { maxLength: 10 })
    .map((pairs) => pairs.map(([n, v]) => `${encode(n)}=${encode(v)}`).join('&'));
  const jsonValue = fc.oneof(value, fc.jsonValue({ maxDepth: 3 }));
  const json = fc.oneof(
    fc.dictionary(name, jsonValue, { maxKeys: 8 }).map((object) => JSON.stringify(object)),
    fc.jsonValue({ maxDepth: 4 }).map((anything) => JSON.stringify(anything)),
    fc.constantFrom('{', '[]', '""', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '{"a":1,"a":2}'),
  );
  const typeFor = (kind: keyof typeof CONTENT_TYPES) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES[kind]) },
      { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES.other, undefined) },
    );
  const known = dictionary.bodies ?? [];
  const whole =
    known.length === 0
      ? fc.constant({ contentType: undefined })
      : fc.constantFrom(...known).chain(({ contentType, payload }) =>
          fc.record({
            contentType: fc.oneof({ weight: 6, arbitrary: fc.constant(contentType) }, typeFor('other')),
            // Mostly as given; sometimes cut short, which breaks every format.
            payload: fc.oneof(
              { weight: 6, arbitrary: fc.constant(payload) },
              { weight: 1, arbitrary: fc.nat({ max: payload.length }).map((end) => payload.slice(0, end)) },
            ),
          }),
        );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({ contentType: undefined }) },
    { weight: known.length === 0 ? 1 : 4, arbitrary: whole },
    { weight: 3, arbitrary: fc.record({ contentType: typeFor('form'), payload: form }) },
    { weight: 3, arbitrary: fc.record({ contentType: typeFor('json'), payload: json }) },
    { weight: 1, arbitrary: fc.record({ contentType: typeFor('other'), payload: oddText }) },
    { weight: 1, arbitrary: fc.record({ contentType: typeFor('json'), payload: fc.constant('x'.repeat(1_100_000)) }) },
  );
}

function headersOf(dictionary: FuzzDictionary): fc.Arbitrary<Record<string, string>> {
  const host = new URL(dictionary.origin).host;
  const optional = (arbitrary: fc.Arbitrary<string>, weight = 2) =>
    fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight, arbitrary });
  const cookieNames = Object.keys(dictionary.cookies ?? {});
  const cookie = fc
    .array(
      fc.oneof(
        {
          weight: 3,
          arbitrary: pick(cookieNames, headerText).chain((name) =>
            pick(dictionary.cookies?.[name], headerText).map((value) => `${name}=${value}`),
          ),
        },
        { weight: 1, arbitrary: headerText },
      ),
      { maxLength: 4 },
    )
    .map((pairs) => pairs.join('; '));
  const authorization = pick(
    dictionary.authorizations,
    fc.oneof(
      fc.constantFrom('Bearer', 'Bearer ', 'Basic', 'Basic !!!', 'Basic Og==', 'DPoP x', 'bearer x.y.z', 'Bearer a b'),
      headerText.map((text) => `Basic ${Buffer.from(text).toString('base64')}`),
      headerText.map((text) => `Bearer ${text}`),
      headerText,
    ),
    2,
  );
  const extraNames = Object.keys(dictionary.headers ?? {});
  const extra = fc.array(
    fc
      .tuple(
        pick(
          extraNames,
          fc.constantFrom('x-forwarded-for', 'x-forwarded-host', 'forwarded', 'referer', 'x-http-method-override'),
        ),
        headerText,
      )
      .chain(([name, random]) =>
        pick(dictionary.headers?.[name], fc.constant(random)).map((value) => [name, value] as const),
      ),
    { maxLength: 3 },
  );
  return fc
    .record({
      host: fc.oneof(
        { weight: 12, arbitrary: fc.constant(host) },
        { weight: 1, arbitrary: fc.constantFrom('evil.example', 'localhost', `${host}.evil.example`, '[::1]', '') },
        { weight: 1, arbitrary: headerText },
      ),
      origin: optional(
        fc.constantFrom(dictionary.origin, 'null', 'https://evil.example', dictionary.origin.toUpperCase()),
      ),
      accept: optional(
        fc.constantFrom(
          'application/json',
          'text/event-stream',
          'application/json, text/event-stream',
          'text/html',
          '*/*',
          '',
        ),
      ),
      authorization: optional(authorization, 3),
      cookie: optional(cookie),
      extra,
    })
    .map(({ extra: pairs, ...named }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(named)) if (value !== undefined) headers[name] = value;
      for (const [name, value] of pairs) headers[name] = value;
      return headers;
    });
}

/**
 * Random requests against `routes`: mostly a route's own methods and path (its parameters filled from the dictionary
 * or with malformed text), with a random query, headers, cookies and body; sometimes another method, or a path no
 * route has.
 */
export function fuzzRequests(routes: readonly Route[], dictionary: FuzzDictionary): fc.Arbitrary<FuzzRequest> {
  const routed = fc.constantFrom(...routes).chain((route) =>
    fc.record({
      target: fc.constant(route.path),
      method: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...route.methods) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      path: pathOf(route, dictionary),
    }),
  );
  const unrouted = fc.record({ target: fc.constant('*'), method: fc.constantFrom(...METHODS), path: randomPath });
  return fc
    .tuple(
      fc.oneof({ weight: 9, arbitrary: routed }, { weight: 1, arbitrary: unrouted }),
      queryOf(dictionary),
      headersOf(dictionary),
      bodyOf(dictionary),
    )
    .map(([{ target, method, path }, query, headers, body]) => {
      const all = { ...headers, ...(body.contentType === undefined ? {} : { 'content-type': body.contentType }) };
      const hasBody = body.payload !== undefined && method !== 'GET' && method !== 'HEAD';
      return { target, method, url: `${path}${query}`, headers: all, ...(hasBody ? { payload: body.payload } : {}) };
    });
}
