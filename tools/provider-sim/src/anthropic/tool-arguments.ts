type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The arguments the simulator calls a tool with, built from its JSON schema (the same in every
 * protocol): the properties listed in `required`, or all when none is; a string is `text` (the last user
 * message), a number or integer 1, a boolean true, an `enum` its first value, an object built the same
 * way, an array empty.
 */
export function toolArguments(schema: unknown, text: string): unknown {
  if (!isObject(schema)) return {};
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return text;
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
    case undefined: {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) && schema.required.length > 0 ? schema.required.filter((name): name is string => typeof name === 'string') : Object.keys(properties);
      const result: Json = {};
      for (const name of required) result[name] = toolArguments(properties[name], text);
      return result;
    }
    default:
      return null;
  }
}
