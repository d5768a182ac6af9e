import { Injectable } from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import { WEBHOOK_SUBSCRIPTIONS_TABLE } from '@ish/database';
import { InstanceKeyConfig, rowContext, SecretBox } from '@ish/platform';

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

  constructor(config: InstanceKeyConfig) {
    this.box = new SecretBox(webhookSecretsKey(config.INSTANCE_KEY_ENCRYPTION_KEY));
  }

  /** sealed for subscription `subscriptionId` alone: moved to another row it no longer opens */
  seal(secret: string, subscriptionId: string): string {
    return this.box.seal(secret, rowContext(WEBHOOK_SUBSCRIPTIONS_TABLE, subscriptionId));
  }

  open(sealed: string, subscriptionId: string): string {
    return this.box.open(sealed, rowContext(WEBHOOK_SUBSCRIPTIONS_TABLE, subscriptionId));
  }

  /** sealed before values were bound to their row (v1): to be sealed again */
  isLegacy(sealed: string): boolean {
    return this.box.isLegacy(sealed);
  }
}
