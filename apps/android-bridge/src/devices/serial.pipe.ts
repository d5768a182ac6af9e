import { PipeTransform } from '@nestjs/common';
import { SERIAL_PATTERN } from '@ish/contracts';
import { ApiError } from '@ish/platform';

/** A `:serial` path parameter must look like an adb serial before it goes anywhere near adb. */
export class SerialPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SERIAL_PATTERN.test(value)) {
      throw ApiError.badRequest('validation_failed', 'Invalid request: check serial', [{ field: 'serial', message: 'must be an adb serial (letters, digits, . _ : -; at most 128)' }]);
    }
    return value;
  }
}
