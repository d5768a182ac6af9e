import { IsInt, Max, Min } from 'class-validator';
import { RelayCoreConfig } from '@ish/relay-core';

export class RelayConfig extends RelayCoreConfig {
  /** largest request body in bytes (413 past it): chat requests carry images as data URLs */
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024)
  MAX_REQUEST_BYTES = 32 * 1024 * 1024;

  /** most choices (`n`) one chat completion may ask for */
  @IsInt() @Min(1) @Max(128)
  MAX_CHOICES = 8;
}
