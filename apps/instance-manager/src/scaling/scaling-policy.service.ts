import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ScalingPolicy } from '@ish/contracts';
import { SETTING_KEYS, SettingsStore } from '../settings/settings.store';

/** In force until an operator PUTs /api/v1/instances/scaling. */
export const DEFAULT_SCALING_POLICY: Readonly<ScalingPolicy> = Object.freeze({
  enabled: true,
  scaleUpUtilization: 0.8,
  scaleDownUtilization: 0.3,
  cooldownSeconds: 60,
  minActive: 1,
});

/** The standby scaler's policy: `settings['scaling']`, else the defaults. */
@Injectable()
export class ScalingPolicyService {
  constructor(private readonly settings: SettingsStore) {}

  async current(): Promise<ScalingPolicy> {
    const stored = await this.settings.get(SETTING_KEYS.scaling);
    if (!stored) return { ...DEFAULT_SCALING_POLICY };
    const policy = plainToInstance(ScalingPolicy, { ...DEFAULT_SCALING_POLICY, ...stored });
    // a value edited by hand into something invalid falls back to the defaults rather than scaling wildly
    return validateSync(policy).length === 0 ? pick(policy) : { ...DEFAULT_SCALING_POLICY };
  }

  async replace(policy: ScalingPolicy): Promise<ScalingPolicy> {
    const value = pick(policy);
    await this.settings.put(SETTING_KEYS.scaling, value);
    return value;
  }
}

function pick(policy: ScalingPolicy): ScalingPolicy {
  const { enabled, scaleUpUtilization, scaleDownUtilization, cooldownSeconds, minActive } = policy;
  return { enabled, scaleUpUtilization, scaleDownUtilization, cooldownSeconds, minActive };
}
