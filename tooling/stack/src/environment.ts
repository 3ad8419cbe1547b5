/** A process environment: `process.env`, or the complete set of variables a child is started with. */
export type Environment = Readonly<Record<string, string | undefined>>;
