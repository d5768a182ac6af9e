import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { ErrorDetail } from '@ish/contracts';
import { ApiError } from './api-error';

/** Flattens class-validator errors into API.md `details`, one entry per offending field path. */
export function validationDetails(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      for (const message of Object.values(error.constraints)) {
        details.push({ field, message: message.replace(/^property (\S+) should not exist$/, 'unknown field') });
      }
    }
    if (error.children?.length) details.push(...validationDetails(error.children, field));
  }
  return details;
}

export function validationError(errors: ValidationError[]): ApiError {
  const details = validationDetails(errors);
  const fields = [...new Set(details.map((d) => d.field))];
  const error = ApiError.badRequest('validation_failed', `Invalid request: check ${fields.join(', ')}`, details);
  // OpenAI-style clients read the offending parameter from `param`
  return fields[0] ? error.withParam(fields[0]) : error;
}

/** The one validation pipe: unknown fields are rejected, types are not silently coerced. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: validationError,
  });
}
