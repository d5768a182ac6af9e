type Schema = Record<string, unknown>;

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON Schema's `type` (or Gemini's upper-case OpenAPI one, or a list with null) as one lower-case name. */
function typeOf(schema: Schema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null' && t !== 'NULL') : schema.type;
  if (typeof type === 'string') return type.toLowerCase();
  return isObject(schema.properties) ? 'object' : undefined;
}

/**
 * The simulator's tool arguments, the same in every protocol: the `required` properties (all when none
 * is) — string → `text`, number/integer → 1, boolean → true, an enum → its first value, object →
 * built recursively, array → [].
 */
export function argumentsFromSchema(schema: unknown, text: string): unknown {
  if (!isObject(schema)) return {};
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  switch (typeOf(schema)) {
    case 'string':
      return text;
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : [];
      const names = required.length > 0 ? required : Object.keys(properties);
      return Object.fromEntries(names.map((name) => [name, argumentsFromSchema(properties[name], text)]));
    }
    default:
      return {};
  }
}
