import { FIXTURE } from './fixture.spec-helper';
import { listOperations, resolveSchema, schemaType } from './openapi';

describe('listOperations', () => {
  const operations = listOperations(FIXTURE);

  it('lists every path × method of the document once', () => {
    const expected = Object.entries(FIXTURE.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.map((o) => o.key).sort()).toEqual(expected.sort());
    expect(operations).toHaveLength(7);
  });

  it('knows every path parameter, also those the document forgot to declare', () => {
    const remove = operations.find((o) => o.key === 'DELETE /api/v1/things/{id}')!;
    expect(remove.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    const part = operations.find((o) => o.key === 'POST /api/v1/things/{id}/parts/{partId}')!;
    expect(part.parameters.filter((p) => p.in === 'path').map((p) => p.name).sort()).toEqual(['id', 'partId']);
    expect(part.parameters.find((p) => p.in === 'header')?.name).toBe('idempotency-key');
  });

  it('finds the JSON body and whether a credential is needed', () => {
    const create = operations.find((o) => o.key === 'POST /api/v1/things')!;
    expect(create.body).toEqual({ required: true, contentType: 'application/json', schema: { $ref: '#/components/schemas/CreateThing' } });
    expect(create.secured).toBe(true);
    const login = operations.find((o) => o.key === 'POST /api/v1/public/login')!;
    expect([login.secured, login.body?.required]).toEqual([false, false]);
    expect(operations.find((o) => o.key === 'GET /api/v1/things')!.body).toBeUndefined();
  });
});

describe('resolveSchema', () => {
  it('follows a chain of $refs', () => {
    expect(resolveSchema(FIXTURE, { $ref: '#/components/schemas/Alias' })).toEqual(FIXTURE.components!.schemas!.Part);
  });

  it('merges allOf parts, their $refs resolved', () => {
    const login = resolveSchema(FIXTURE, { $ref: '#/components/schemas/Login' });
    expect(Object.keys(login.properties ?? {}).sort()).toEqual(['email', 'password']);
    expect(login.required?.sort()).toEqual(['email', 'password']);
    expect(schemaType(login)).toBe('object');
  });

  it('refuses circular and dangling references instead of looping', () => {
    expect(() => resolveSchema(FIXTURE, { $ref: '#/components/schemas/Loop' })).toThrow(/circular/);
    expect(() => resolveSchema(FIXTURE, { $ref: '#/components/schemas/Nope' })).toThrow(/unresolvable/);
    expect(() => resolveSchema(FIXTURE, { $ref: 'other.json#/X' })).toThrow(/local/);
  });
});
