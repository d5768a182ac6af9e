import { Injectable } from '@nestjs/common';
import { modelFallbacksProblems, ModelFallbacks, ROUTING_STRATEGIES, RoutingPolicyView, RoutingStrategy, UpdateRoutingPolicyRequest } from '@ish/contracts';
import { InstanceManagerConfig } from '../config';
import { SETTING_KEYS, SettingsStore } from '../settings/settings.store';

/** The routing policy in force: `settings['routing']` once an operator set it, else ROUTING_STRATEGY and no fallbacks. */
@Injectable()
export class RoutingPolicyService {
  constructor(
    private readonly settings: SettingsStore,
    private readonly config: InstanceManagerConfig,
  ) {}

  async current(): Promise<RoutingPolicyView> {
    const stored = await this.settings.get(SETTING_KEYS.routing);
    const strategy = (ROUTING_STRATEGIES as readonly unknown[]).includes(stored?.strategy) ? (stored?.strategy as RoutingStrategy) : this.config.ROUTING_STRATEGY;
    // a value edited by hand into something invalid must not reach every relay
    const fallbacks = stored?.fallbacks !== undefined && modelFallbacksProblems(stored.fallbacks).length === 0 ? (stored.fallbacks as ModelFallbacks) : {};
    return { strategy, fallbacks };
  }

  async replace(request: UpdateRoutingPolicyRequest): Promise<RoutingPolicyView> {
    const policy: RoutingPolicyView = { strategy: request.strategy, fallbacks: trimmed(request.fallbacks ?? {}) };
    await this.settings.put(SETTING_KEYS.routing, policy);
    return policy;
  }
}

function trimmed(fallbacks: ModelFallbacks): ModelFallbacks {
  return Object.fromEntries(Object.entries(fallbacks).map(([model, list]) => [model.trim(), list.map((fallback) => fallback.trim())]));
}
