/**
 * A form for an MCP tool generated from its input JSON Schema, and the reverse: form fields back to typed
 * arguments. Strings (enums as selects), numbers, integers and booleans get native inputs; anything else a JSON box.
 */
import { CSRF_FIELD, html, type SafeHtml } from '@ema/html';

/** The JSON Schema members the generator reads. */
interface PropertySchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  default?: unknown;
}

/** An MCP tool as listed by `tools/list`. */
export interface ToolView {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  inputSchema: { properties?: Record<string, unknown> | undefined; required?: string[] | undefined };
}

function properties(tool: ToolView): Array<[string, PropertySchema]> {
  return Object.entries(tool.inputSchema.properties ?? {}).map(([name, schema]) => [
    name,
    typeof schema === 'object' && schema !== null ? (schema as PropertySchema) : {},
  ]);
}

function typeOf(schema: PropertySchema): string {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  return type ?? (schema.enum ? 'string' : 'json');
}

function field(tool: ToolView, name: string, schema: PropertySchema, required: boolean): SafeHtml {
  const id = `tool-${tool.name}-${name}`;
  const fieldName = `arg.${name}`;
  const label = html`<label for="${id}">${schema.title ?? name}${required ? html` <span class="muted">(required)</span>` : ''}${
    schema.description ? html` <span class="muted">— ${schema.description}</span>` : ''
  }</label>`;
  const type = typeOf(schema);
  const initial = schema.default === undefined ? '' : String(schema.default);
  if (schema.enum) {
    return html`${label}<select id="${id}" name="${fieldName}" data-testid="${id}">
${required ? '' : html`<option value=""></option>`}${schema.enum.map((value) => html`<option value="${String(value)}"${String(value) === initial ? html` selected` : ''}>${String(value)}</option>`)}
</select>`;
  }
  if (type === 'boolean') {
    return html`<label for="${id}"><input type="checkbox" id="${id}" name="${fieldName}" value="true" data-testid="${id}"${initial === 'true' ? html` checked` : ''}> ${schema.title ?? name}${schema.description ? html` <span class="muted">— ${schema.description}</span>` : ''}</label>`;
  }
  if (type === 'number' || type === 'integer') {
    return html`${label}<input type="number" id="${id}" name="${fieldName}" data-testid="${id}"${type === 'number' ? html` step="any"` : ''} value="${initial}"${required ? html` required` : ''}>`;
  }
  if (type === 'string') {
    return html`${label}<input type="text" id="${id}" name="${fieldName}" data-testid="${id}" value="${initial}"${required ? html` required` : ''}>`;
  }
  return html`${label}<textarea id="${id}" name="${fieldName}" data-testid="${id}" placeholder="JSON">${initial}</textarea>`;
}

/** The form for one tool, posting to `/servers/<serverId>/tools/<tool>`. */
export function toolForm(serverId: string, tool: ToolView, csrfToken: string): SafeHtml {
  const required = new Set(tool.inputSchema.required ?? []);
  return html`<section class="card" data-testid="tool-${tool.name}">
  <h3><code>${tool.name}</code>${tool.title ? html` <span class="muted">${tool.title}</span>` : ''}</h3>
  ${tool.description ? html`<p class="muted">${tool.description}</p>` : ''}
  <form method="post" action="/servers/${serverId}/tools/${encodeURIComponent(tool.name)}">
    <input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}">
    ${properties(tool).map(([name, schema]) => field(tool, name, schema, required.has(name)))}
    <p><button type="submit" data-testid="call-${tool.name}">Call ${tool.name}</button></p>
  </form>
</section>`;
}

/** Reads the arguments of `tool` from a submitted form. */
export function readToolArguments(
  tool: ToolView,
  form: Readonly<Record<string, unknown>>,
): { ok: true; arguments: Record<string, unknown> } | { ok: false; problem: string } {
  const required = new Set(tool.inputSchema.required ?? []);
  const args: Record<string, unknown> = {};
  for (const [name, schema] of properties(tool)) {
    const raw = form[`arg.${name}`];
    const value = typeof raw === 'string' ? raw : Array.isArray(raw) && typeof raw[0] === 'string' ? raw[0] : undefined;
    const type = typeOf(schema);
    if (type === 'boolean' && !schema.enum) {
      args[name] = value === 'true';
      continue;
    }
    if (value === undefined || value.trim() === '') {
      if (required.has(name)) return { ok: false, problem: `${name} is required` };
      continue;
    }
    if (type === 'number' || type === 'integer') {
      const number = Number(value);
      if (!Number.isFinite(number) || (type === 'integer' && !Number.isInteger(number))) {
        return { ok: false, problem: `${name} must be ${type === 'integer' ? 'an integer' : 'a number'}` };
      }
      args[name] = number;
    } else if (type === 'string') {
      args[name] = value;
    } else {
      try {
        args[name] = JSON.parse(value);
      } catch {
        return { ok: false, problem: `${name} must be JSON` };
      }
    }
  }
  return { ok: true, arguments: args };
}
