import { Injectable } from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import { SecretBox } from '@ish/platform';
import { WebhooksConfig } from './webhooks.config';

const KEY_INFO = 'ish-chat webhook signing secrets v1';

/**
 * The key that seals webhook signing secrets: derived (HKDF-SHA256) from INSTANCE_KEY_ENCRYPTION_KEY,
 * which every deployment already holds, so no new secret is needed and a leaked key of one purpose
 * does not open the other's data.
 */
export function webhookSecretsKey(instanceKeyBase64: string): string {
  return Buffer.from(hkdfSync('sha256', Buffer.from(instanceKeyBase64, 'base64'), Buffer.alloc(0), KEY_INFO, 32)).toString('base64');
}

/** Seals signing secrets for the database (auth) and opens them to sign (worker). */
@Injectable()
export class WebhookSecrets {
  private readonly box: SecretBox;

  constructor(config: WebhooksConfig) {
    this.box = new SecretBox(webhookSecretsKey(config.INSTANCE_KEY_ENCRYPTION_KEY));
  }

  seal(secret: string): string {
    return this.box.seal(secret);
  }

  open(sealed: string): string {
    return this.box.open(sealed);
  }
}
