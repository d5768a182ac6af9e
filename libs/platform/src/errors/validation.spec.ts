import { IsEmail, IsInt, MinLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { ArgumentMetadata } from '@nestjs/common';
import { ApiError } from './api-error';
import { createValidationPipe } from './validation';

class Inner {
  @IsInt() count: number;
}
class Body {
  @IsEmail() email: string;
  @MinLength(12) password: string;
  @ValidateNested() @Type(() => Inner) inner: Inner;
}

describe('createValidationPipe', () => {
  const meta: ArgumentMetadata = { type: 'body', metatype: Body };

  it('names every field, nested and unknown ones included', async () => {
    const pipe = createValidationPipe();
    const error = await pipe
      .transform({ email: 'nope', password: 'short', inner: { count: 'x' }, extra: 1 }, meta)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const body = (error as ApiError).toBody();
    expect(body.error.code).toBe('validation_failed');
    const fields = body.error.details?.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'inner.count', 'extra']));
    expect(body.error.details?.find((d) => d.field === 'extra')?.message).toBe('unknown field');
  });

  it('names the first offending field in param, as OpenAI-style errors do', async () => {
    const pipe = createValidationPipe();
    const error = await pipe.transform({ email: 'a@b.co', password: 'short', inner: { count: 'x' } }, meta).catch((e: unknown) => e);
    expect((error as ApiError).toBody().error.param).toBe('password');
  });

  it('does not coerce types', async () => {
    const pipe = createValidationPipe();
    const error = await pipe.transform({ email: 'a@b.co', password: 'x'.repeat(12), inner: { count: '3' } }, meta).catch((e: unknown) => e);
    expect((error as ApiError).toBody().error.details?.[0].field).toBe('inner.count');
  });
});
