/**
 * `@ema/http-fuzz`: seeded, bounded HTTP fuzzing of a Fastify app in-process. Its routes from its own route tree,
 * random requests aimed at them (methods, paths, parameters, headers, cookies, bodies; valid credentials mixed with
 * malformed input), and a run that fails on the first 5xx with a shrunk, replayable counterexample. Test support only.
 */
export type { FuzzBody, FuzzDictionary } from './fuzz-dictionary.js';
export { type FuzzRequest, fuzzRequests } from './fuzz-request.js';
export { DEFAULT_FUZZ_SEED, type FuzzSettings, fuzzSettings } from './fuzz-settings.js';
export { type Route, routeTable } from './route-table.js';
export { HttpFuzzFailure, type HttpFuzzOptions, type HttpFuzzReport, runHttpFuzz } from './run-http-fuzz.js';
