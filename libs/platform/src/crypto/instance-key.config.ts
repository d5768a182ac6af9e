import { Matches } from 'class-validator';
import { ConfigPart } from '../config/config';

/** The one key that seals secrets at rest: provider API keys (instance-manager, relay, worker) and webhook secrets. */
@ConfigPart()
export class InstanceKeyConfig {
  /** 32 bytes, base64: every process that seals or opens a secret needs the same value */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'INSTANCE_KEY_ENCRYPTION_KEY must be 32 bytes, base64-encoded' })
  INSTANCE_KEY_ENCRYPTION_KEY: string;
}
