import { ValidateIf } from 'class-validator';

/**
 * class-validator: the field may be left out, but when present it is validated — `null` included.
 * `@IsOptional()` also skips `null`, which then reaches a NOT NULL column as a 500; use this for
 * fields that have no "none" value (a PATCH of `priority`, `enabled`, a URL…).
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
