import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

type ChildLoggerFactory = NonNullable<FastifyServerOptions['childLoggerFactory']>;

type LogMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;
type LevelAware = FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };
type PinoParent = FastifyBaseLogger & { isLevelEnabled: (level: string) => boolean };

/**
 * A request's logger that becomes a real pino child (with the request id bound) only when the request first logs a
 * line its level lets through. Fastify makes a child logger for every request, and pino's `child` (bindings
 * serialised, redaction applied) showed as a fixed cost on the token endpoints, where almost no request ever logs.
 * Lines below the level are dropped without one, exactly as the child itself would drop them.
 */
class LazyChildLogger {
  readonly #parent: PinoParent;
  readonly #bindings: Bindings;
  readonly #options: ChildOptions;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: PinoParent, bindings: Bindings, options: ChildOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  #log(method: LogMethod, args: unknown[]): void {
    if (this.#child === undefined && !this.#parent.isLevelEnabled(method)) return;
    (this.#real()[method] as (...values: unknown[]) => void)(...args);
  }

  get level(): string {
    return this.#child?.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#log('error', args);
  }
  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }
  info(...args: unknown[]): void {
    this.#log('info', args);
  }
  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/**
 * Fastify's `childLoggerFactory` for the apps: each request gets a {@link LazyChildLogger}. A route with its own log
 * level, or a parent logger that cannot tell whether a level is enabled, gets an ordinary child at once.
 */
export const lazyChildLoggerFactory: ChildLoggerFactory = (logger, bindings, options) => {
  const parent = logger as LevelAware;
  if (options.level !== undefined || typeof parent.isLevelEnabled !== 'function') {
    return logger.child(bindings, options);
  }
  return new LazyChildLogger(parent as PinoParent, bindings, options) as unknown as FastifyBaseLogger;
};
