import fc from 'fast-check';
import {
  Allow,
  IsEmail,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Min,
  ValidateIf,
  ValidateNested,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  getMetadataStorage,
  validateSync,
} from 'class-validator';
import { ChatCompletionRequest } from '@ish/contracts';
import { compileValidator } from './compile-validator';

const OPTIONS = { validationError: { target: false, value: false } };

/** What checkChatCompletionRequest asks of class-validator; a throw (a `__proto__` of null) counts as invalid. */
function passesValidateSync(dto: new () => object, plain: object): boolean {
  try {
    return validateSync(Object.assign(Object.create(dto.prototype) as object, plain), OPTIONS).length === 0;
  } catch {
    return false;
  }
}

/** An object with these own enumerable keys, `__proto__` and `constructor` included (as JSON.parse makes them). */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const FIELDS = [...new Set(getMetadataStorage().getTargetValidationMetadatas(ChatCompletionRequest, '', false, false).map((m) => m.propertyName))];
const UNKNOWN_FIELDS = ['a_parameter_from_the_future', 'toString', 'hasOwnProperty', 'constructor', '__proto__'];
const WORDS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'auto', 'default', 'flex', 'scale', 'priority', 'text', 'gpt-4o', 'Low', '12', '0', '-1', '1e3'];

const edgeString = fc.oneof(
  fc.constantFrom(...[0, 1, 199, 200, 201, 255, 256, 257, 1024, 1025].map((n) => 'x'.repeat(n))),
  // class-validator counts a surrogate pair and a character with a variation selector as one
  fc.constantFrom('😀'.repeat(100), '😀'.repeat(101), '😀'.repeat(201), 'a\uFE0F'.repeat(200), 'a\uFE0F'.repeat(201), '\uD800'),
  fc.constantFrom(...WORDS),
  fc.stringMatching(/^\d{1,20}$/),
  fc.string({ maxLength: 8 }),
);
const edgeNumber = fc.oneof(
  fc.constantFrom(-3, -2, -1, 0, 1, 2, 3, 0.5, -0.5, 1.5, 2.0000001, 20, 21, NaN, Infinity, -Infinity, -0, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MIN_VALUE),
  fc.integer({ min: -3, max: 3 }),
  fc.double(),
);
const value = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  edgeString,
  edgeNumber,
  fc.boolean(),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.object()), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
  fc.constantFrom(new String('x'), new Boolean(true), new Number(1), new Date(0)),
);
/** a request with a few fields set to edge values, most of them left out (so that many pass) */
const request = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(fc.constantFrom(...FIELDS, ...FIELDS, ...UNKNOWN_FIELDS), value), { maxLength: 5 }))
  .map(([withBase, entries]) => objectOf([...(withBase ? ([['model', 'gpt-4o'], ['messages', []]] as [string, unknown][]) : []), ...entries]));

describe('compileValidator', () => {
  const fast = compileValidator(ChatCompletionRequest);

  it('never says true where validateSync finds an error, and says true where it finds none, on ChatCompletionRequest', () => {
    let accepted = 0;
    fc.assert(
      fc.property(request, (plain) => {
        const verdict = fast(plain);
        if (verdict) accepted++;
        const key = (name: string) => Object.prototype.hasOwnProperty.call(plain, name);
        // the copy-replacing keys are the one place it stays on the safe side
        expect(verdict).toBe(passesValidateSync(ChatCompletionRequest, plain) && !key('__proto__') && !key('constructor'));
      }),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(500);
  });

  it('checks every field of a whole request as class-validator does', () => {
    const whole = {
      model: 'gpt-4o',
      messages: [],
      temperature: 2,
      top_p: 0,
      max_tokens: 1,
      max_completion_tokens: 4096,
      stream: false,
      presence_penalty: -2,
      frequency_penalty: 2,
      seed: -7,
      n: 1,
      user: 'x'.repeat(256),
      parallel_tool_calls: true,
      logprobs: true,
      top_logprobs: 20,
      reasoning_effort: 'xhigh',
      service_tier: 'priority',
      store: true,
      web_search_options: {},
      audio: { voice: 'alloy' },
      verbosity: 'low',
      prompt_cache_key: 'k'.repeat(1024),
      safety_identifier: 's',
      drop_params: false,
    };
    expect(fast(whole)).toBe(true);
    for (const [field, bad] of Object.entries({ temperature: 2.01, top_p: NaN, max_tokens: 0, n: 1.5, seed: Infinity, user: 'x'.repeat(257), top_logprobs: 21, web_search_options: [], reasoning_effort: 'LOW', stream: 'true', model: '' })) {
      expect([field, fast({ ...whole, [field]: bad })]).toEqual([field, false]);
      expect(passesValidateSync(ChatCompletionRequest, { ...whole, [field]: bad })).toBe(false);
    }
  });

  it('mirrors class-validator on its edge cases: NaN and ±Infinity are no numbers, arrays no objects, only null and undefined are optional, a surrogate pair is one character', () => {
    class Probe {
      @IsOptional() @IsNumber() number?: number;
      @IsOptional() @IsObject() object?: object;
      @IsOptional() @IsString() @Length(1, 2) short?: string;
      @IsOptional() @IsInt() @Min(0) count?: number;
    }
    const probe = compileValidator(Probe);
    const cases: [Record<string, unknown>, boolean][] = [
      [{}, true],
      [{ number: null, object: undefined, short: null }, true],
      [{ number: -0 }, true],
      [{ number: NaN }, false],
      [{ number: Infinity }, false],
      [{ number: '1' }, false],
      [{ object: [] }, false],
      [{ object: {} }, true],
      [{ short: '' }, false],
      [{ short: '😀😀' }, true],
      [{ short: 'abc' }, false],
      [{ count: -0 }, true],
      [{ count: 2 ** 60 }, true],
      [{ count: 0.5 }, false],
      [{ count: -1 }, false],
    ];
    for (const [plain, valid] of cases) {
      expect([plain, probe(plain)]).toEqual([plain, valid]);
      expect([plain, passesValidateSync(Probe, plain)]).toEqual([plain, valid]);
    }
  });

  it('reads inherited validators as validateSync does', () => {
    class Base {
      @IsString() name: string;
    }
    class Derived extends Base {
      @IsOptional() @IsInt() size?: number;
    }
    const derived = compileValidator(Derived);
    expect(derived({ name: 'a', size: 1 })).toBe(true);
    expect(derived({ size: 1 })).toBe(false);
  });

  it('always says false for a class with a decorator it does not know, so that validateSync decides', () => {
    class Contact {
      @IsString() name: string;
      @IsEmail() email: string;
    }
    const contact = compileValidator(Contact);
    expect(passesValidateSync(Contact, { name: 'a', email: 'a@example.com' })).toBe(true);
    expect(contact({ name: 'a', email: 'a@example.com' })).toBe(false);
    expect(contact({})).toBe(false);
  });

  it('always says false for each, groups, always, nested, conditional and custom constraints, and for a class without validators', () => {
    @ValidatorConstraint({ name: 'isString' })
    class LooksLikeString implements ValidatorConstraintInterface {
      validate(): boolean {
        return false;
      }
    }
    class Each {
      @IsString({ each: true }) tags: string[];
    }
    class Grouped {
      @IsString({ groups: ['admin'] }) name: string;
    }
    class Always {
      @IsString({ always: true }) name: string;
    }
    class Nested {
      @ValidateNested() @Allow() inner: object;
    }
    class Conditional {
      @ValidateIf(() => true) @IsString() name: string;
    }
    class Custom {
      @Validate(LooksLikeString) name: string;
    }
    class Bare {
      name: string;
    }
    for (const dto of [Each, Grouped, Always, Nested, Conditional, Custom, Bare]) {
      expect([dto.name, compileValidator(dto)({ name: 'a', tags: ['a'], inner: {} })]).toEqual([dto.name, false]);
    }
  });

  it('always says false for a class with accessors, which Object.assign would run', () => {
    class Guarded {
      @IsString() name: string;
      set alias(value: string) {
        this.name = value;
      }
    }
    expect(compileValidator(Guarded)({ name: 'a' })).toBe(false);
  });

  it('reads only own enumerable properties, as Object.assign copies them', () => {
    const inherited = Object.create({ model: 'gpt-4o', messages: [] }) as object;
    expect(fast(inherited)).toBe(false);
    expect(passesValidateSync(ChatCompletionRequest, inherited)).toBe(false);
    const hidden = Object.defineProperty({ messages: [] }, 'model', { value: 'gpt-4o', enumerable: false });
    expect(fast(hidden)).toBe(false);
    expect(passesValidateSync(ChatCompletionRequest, hidden)).toBe(false);
  });
});
