import type { ServiceName } from '@ish/contracts';
import { ConfigParts, loadConfigParts } from '@ish/platform';
import { CONFIG_PARTS as ANDROID_BRIDGE } from '@ish/apps/android-bridge/src/config';
import { CONFIG_PARTS as AUTH } from '@ish/apps/auth/src/config';
import { CONFIG_PARTS as INSTANCE_MANAGER } from '@ish/apps/instance-manager/src/config';
import { CONFIG_PARTS as RELAY } from '@ish/apps/relay/src/config';
import { CONFIG_PARTS as WORKER } from '@ish/apps/worker/src/config';

/** Each app's config parts, the ones it validates its environment with at start. */
const APP_CONFIGS: Record<ServiceName, ConfigParts> = {
  auth: AUTH,
  relay: RELAY,
  'instance-manager': INSTANCE_MANAGER,
  'android-bridge': ANDROID_BRIDGE,
  worker: WORKER,
};

/** The error an app would exit with on this environment, or undefined when it would start. */
export function appConfigError(service: ServiceName, env: Record<string, string | undefined>): string | undefined {
  try {
    loadConfigParts(APP_CONFIGS[service], env);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
