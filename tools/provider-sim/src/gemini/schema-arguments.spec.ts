import { argumentsFromSchema } from './schema-arguments';

describe('argumentsFromSchema', () => {
  it('fills the required properties: string → the text, number/integer → 1, boolean → true, enum → first, object recursively, array → []', () => {
    const schema = {
      type: 'object',
      properties: {
        q: { type: 'string' },
        n: { type: 'number' },
        i: { type: 'integer' },
        b: { type: 'boolean' },
        e: { type: 'string', enum: ['x', 'y'] },
        o: { type: 'object', properties: { inner: { type: 'string' }, skipped: { type: 'number' } }, required: ['inner'] },
        a: { type: 'array', items: { type: 'string' } },
        optional: { type: 'string' },
      },
      required: ['q', 'n', 'i', 'b', 'e', 'o', 'a'],
    };
    expect(argumentsFromSchema(schema, 'hi')).toEqual({ q: 'hi', n: 1, i: 1, b: true, e: 'x', o: { inner: 'hi' }, a: [] });
  });

  it("takes every property when none is required, and reads Gemini's upper-case and nullable types", () => {
    expect(argumentsFromSchema({ type: 'OBJECT', properties: { s: { type: 'STRING' }, n: { type: ['integer', 'null'] } } }, 't')).toEqual({ s: 't', n: 1 });
    expect(argumentsFromSchema(undefined, 't')).toEqual({});
  });
});
