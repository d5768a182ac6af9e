import type { ServiceName } from '@ish/contracts';
import { BaseConfig, loadConfig } from '@ish/platform';
import { AndroidBridgeConfig } from '@ish/apps/android-bridge/src/config';
import { AuthConfig } from '@ish/apps/auth/src/config';
import { InstanceManagerConfig } from '@ish/apps/instance-manager/src/config';
import { RelayConfig } from '@ish/apps/relay/src/config';
import { WorkerConfig } from '@ish/apps/worker/src/config';

/** Each app's own config schema, the one it validates its environment with at start. */
const APP_CONFIGS: Record<ServiceName, new () => BaseConfig> = {
  auth: AuthConfig,
  relay: RelayConfig,
  'instance-manager': InstanceManagerConfig,
  'android-bridge': AndroidBridgeConfig,
  worker: WorkerConfig,
};

/** The error an app would exit with on this environment, or undefined when it would start. */
export function appConfigError(service: ServiceName, env: Record<string, string | undefined>): string | undefined {
  try {
    loadConfig(APP_CONFIGS[service], env);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
