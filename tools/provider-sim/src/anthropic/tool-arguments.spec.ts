import { toolArguments } from './tool-arguments';

describe('toolArguments', () => {
  it('fills the required properties by type: string → the user text, number → 1, boolean → true, enum → its first value', () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer' }, ratio: { type: 'number' }, hot: { type: 'boolean' }, unit: { enum: ['c', 'f'] }, note: { type: 'string' } },
      required: ['city', 'days', 'ratio', 'hot', 'unit'],
    };
    expect(toolArguments(schema, 'Paris')).toEqual({ city: 'Paris', days: 1, ratio: 1, hot: true, unit: 'c' });
  });

  it('fills every property when none is required, objects recursively and arrays empty', () => {
    const schema = { type: 'object', properties: { where: { type: 'object', properties: { name: { type: 'string' } } }, tags: { type: 'array', items: { type: 'string' } } } };
    expect(toolArguments(schema, 'x')).toEqual({ where: { name: 'x' }, tags: [] });
  });

  it('reads a nullable type list and an object without properties', () => {
    expect(toolArguments({ type: ['null', 'string'] }, 'x')).toBe('x');
    expect(toolArguments({ type: 'object' }, 'x')).toEqual({});
    expect(toolArguments(undefined, 'x')).toEqual({});
  });
});
