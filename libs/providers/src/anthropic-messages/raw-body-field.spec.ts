import { withoutTopLevel, withTopLevelString } from './raw-body-field';

const rewrite = (text: string, value = 'claude-upstream') => withTopLevelString(Buffer.from(text, 'utf8'), 'model', value).toString('utf8');

describe('withTopLevelString', () => {
  it('replaces only the top-level value, keeping every other byte', () => {
    const body = '{ "max_tokens" : 1e3,\n  "model":"alias",\t"messages":[{"role":"user","content":"the \\"model\\": é 😀","model":"inner"}], "meta": {"model": "x"} }';
    expect(rewrite(body)).toBe(body.replace('"model":"alias"', '"model":"claude-upstream"'));
  });

  it('finds the key however it is escaped, and every copy of it', () => {
    expect(rewrite('{"\\u006dodel":"a","x":[1,{"y":"]"}],"model" : "b"}')).toBe('{"\\u006dodel":"claude-upstream","x":[1,{"y":"]"}],"model" : "claude-upstream"}');
  });

  it('writes the value as a JSON string', () => {
    expect(JSON.parse(rewrite('{"model":"a"}', 'we "quote" \\ ü'))).toEqual({ model: 'we "quote" \\ ü' });
  });

  it('leaves a body without the field, or that is not an object, unchanged', () => {
    for (const body of ['{"messages":[]}', '{}', '[{"model":"a"}]', '{"model":', '"model"']) expect(rewrite(body)).toBe(body);
  });

  it('replaces a value of another type too (the validated body holds a string there)', () => {
    expect(rewrite('{"model":null,"a":true}')).toBe('{"model":"claude-upstream","a":true}');
  });
});

describe('withoutTopLevel', () => {
  const remove = (text: string) => withoutTopLevel(Buffer.from(text, 'utf8'), 'drop_params').toString('utf8');

  it('removes the member and one comma, keeping every other byte', () => {
    expect(remove('{"model":"m", "drop_params": true, "messages":[{"drop_params":1}]}')).toBe('{"model":"m", "messages":[{"drop_params":1}]}');
    expect(remove('{"model":"m" , "drop_params":false }')).toBe('{"model":"m" }');
    expect(remove('{ "drop_params":true,\n "model":"m"}')).toBe('{ "model":"m"}');
    expect(remove('{"drop_params":true}')).toBe('{}');
  });

  it('removes every copy, and leaves a body without it unchanged', () => {
    expect(JSON.parse(remove('{"drop_params":1,"a":2,"drop_params":3}'))).toEqual({ a: 2 });
    expect(remove('{"a":{"drop_params":true}}')).toBe('{"a":{"drop_params":true}}');
  });
});
