/**
 * A small JSON Schema (draft 2020-12) subset: the type of schema documents keepalived-ts publishes and
 * an interpreter that validates a value against one, so the published schema and the runtime check
 * can never disagree (the status validator *is* the schema).
 *
 * Supported keywords: type (string or list, incl. "integer" and "null"), const, enum, properties,
 * required, additionalProperties (false or a schema), items, minItems, minimum, maximum, minLength,
 * pattern, anyOf, $ref to "#/$defs/<name>", plus the annotations $schema, $id, title, description, format.
 */

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface JsonSchema {
  readonly $schema?: string;
  readonly $id?: string;
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
  readonly title?: string;
  readonly description?: string;
  readonly format?: string;
  readonly type?: JsonType | readonly JsonType[];
  readonly const?: string | number | boolean | null;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly anyOf?: readonly JsonSchema[];
}

/** One violation: a JSON Pointer-like path (`/vrrp/instances/0/state`) and what is wrong. */
export interface SchemaError {
  readonly path: string;
  readonly message: string;
}

function typeOf(v: unknown): JsonType | 'undefined' | 'other' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isFinite(v) ? 'number' : 'other';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    case 'undefined':
      return 'undefined';
    default:
      return 'other';
  }
}

function matchesType(v: unknown, t: JsonType): boolean {
  const actual = typeOf(v);
  if (t === 'integer') return actual === 'number' && Number.isInteger(v);
  return actual === t;
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  const m = /^#\/\$defs\/([^/]+)$/.exec(ref);
  return m ? root.$defs?.[m[1] ?? ''] : undefined;
}

function walk(root: JsonSchema, schema: JsonSchema, v: unknown, path: string, out: SchemaError[]): void {
  if (out.length >= 50) return;
  if (schema.$ref !== undefined) {
    const target = resolveRef(root, schema.$ref);
    if (target === undefined) out.push({ path, message: `unresolvable $ref ${schema.$ref}` });
    else walk(root, target, v, path, out);
    return;
  }
  if (schema.anyOf !== undefined) {
    const branches = schema.anyOf.map((sub) => {
      const errs: SchemaError[] = [];
      walk(root, sub, v, path, errs);
      return errs;
    });
    if (!branches.some((e) => e.length === 0)) {
      // Report the branch that got furthest (fewest errors) for a useful message.
      const best = branches.reduce((a, b) => (b.length < a.length ? b : a), branches[0] ?? []);
      out.push(...(best.length > 0 ? best : [{ path, message: 'matches no alternative' }]));
    }
  }
  if (schema.type !== undefined) {
    const types: readonly JsonType[] = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((t) => matchesType(v, t))) {
      out.push({ path, message: `expected ${types.join(' or ')}, got ${typeOf(v)}` });
      return;
    }
  }
  if (schema.const !== undefined && v !== schema.const) out.push({ path, message: `expected ${JSON.stringify(schema.const)}` });
  if (schema.enum !== undefined && !schema.enum.includes(v as string | number | boolean | null)) {
    out.push({ path, message: `expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum) out.push({ path, message: `below minimum ${schema.minimum}` });
    if (schema.maximum !== undefined && v > schema.maximum) out.push({ path, message: `above maximum ${schema.maximum}` });
  }
  if (typeof v === 'string') {
    if (schema.minLength !== undefined && v.length < schema.minLength) out.push({ path, message: `shorter than ${schema.minLength}` });
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(v)) out.push({ path, message: `does not match ${schema.pattern}` });
  }
  if (Array.isArray(v)) {
    if (schema.minItems !== undefined && v.length < schema.minItems) out.push({ path, message: `fewer than ${schema.minItems} items` });
    if (schema.items !== undefined) v.forEach((item, i) => walk(root, schema.items as JsonSchema, item, `${path}/${i}`, out));
  } else if (typeOf(v) === 'object') {
    const obj = v as Readonly<Record<string, unknown>>;
    for (const r of schema.required ?? []) if (!(r in obj) || obj[r] === undefined) out.push({ path: `${path}/${r}`, message: 'required' });
    const props = schema.properties ?? {};
    for (const [k, val] of Object.entries(obj)) {
      const sub = props[k];
      if (sub !== undefined) walk(root, sub, val, `${path}/${k}`, out);
      else if (schema.additionalProperties === false) out.push({ path: `${path}/${k}`, message: 'unknown property' });
      else if (typeof schema.additionalProperties === 'object') walk(root, schema.additionalProperties, val, `${path}/${k}`, out);
    }
  }
}

/** Validates `value` against `schema` (its own root for $ref); an empty list means valid. */
export function validateJsonSchema(schema: JsonSchema, value: unknown): SchemaError[] {
  const out: SchemaError[] = [];
  walk(schema, schema, value, '', out);
  return out;
}
