/**
 * The stores' parameters in PostgreSQL's form: positional `?` and named `@name` (better-sqlite3's) become `$1`,
 * `$2`, … Quoted strings and identifiers are left as they are.
 */
export interface PostgresStatementText {
  text: string;
  /** For named parameters: the name bound to each `$n`, in order; empty for positional ones. */
  names: string[];
}

/** Rewrites `sql` once, when the statement is prepared. */
export function toPostgresPlaceholders(sql: string): PostgresStatementText {
  let text = '';
  const names: string[] = [];
  const numbers = new Map<string, number>();
  let positional = 0;
  let quote: string | undefined;
  for (let index = 0; index < sql.length; index += 1) {
    const char = sql.charAt(index);
    if (quote !== undefined) {
      text += char;
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      text += char;
    } else if (char === '?') {
      positional += 1;
      text += `$${positional}`;
    } else if (char === '@' && /[A-Za-z_]/.test(sql.charAt(index + 1))) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(index + 1))?.[0] ?? '';
      let number = numbers.get(name);
      if (number === undefined) {
        names.push(name);
        number = names.length;
        numbers.set(name, number);
      }
      text += `$${number}`;
      index += name.length;
    } else {
      text += char;
    }
  }
  return { text, names };
}

/** The values for `$1…$n`: the positional arguments, or the named ones taken from the one object given. */
export function bindValues(statement: PostgresStatementText, params: readonly unknown[]): unknown[] {
  if (statement.names.length === 0) return params.map(toPostgresValue);
  const named = params[0];
  if (typeof named !== 'object' || named === null) throw new TypeError('named parameters need one object');
  const values = named as Record<string, unknown>;
  return statement.names.map((name) => {
    if (!(name in values)) throw new RangeError(`missing named parameter @${name}`);
    return toPostgresValue(values[name]);
  });
}

// better-sqlite3 binds a Buffer as a BLOB and a bigint as an integer; pg takes both once converted.
function toPostgresValue(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
