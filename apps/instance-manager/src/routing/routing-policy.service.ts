import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  ModelAliases,
  modelAliasesProblems,
  modelFallbacksProblems,
  ModelFallbacks,
  ROUTING_STRATEGIES,
  RoutingPolicyView,
  RoutingStrategy,
  UpdateRoutingPolicyRequest,
} from '@ish/contracts';
import { InstanceEntity } from '@ish/database';
import { ApiError } from '@ish/platform';
import { InstanceManagerConfig } from '../config';
import { SETTING_KEYS, SettingsStore } from '../settings/settings.store';

/** The routing policy in force: `settings['routing']` once an operator set it, else ROUTING_STRATEGY, no fallbacks and no aliases. */
@Injectable()
export class RoutingPolicyService {
  constructor(
    private readonly settings: SettingsStore,
    private readonly config: InstanceManagerConfig,
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
  ) {}

  async current(): Promise<RoutingPolicyView> {
    const stored = await this.settings.get(SETTING_KEYS.routing);
    const strategy = (ROUTING_STRATEGIES as readonly unknown[]).includes(stored?.strategy) ? (stored?.strategy as RoutingStrategy) : this.config.ROUTING_STRATEGY;
    // a value edited by hand into something invalid must not reach every relay
    const fallbacks = stored?.fallbacks !== undefined && modelFallbacksProblems(stored.fallbacks).length === 0 ? (stored.fallbacks as ModelFallbacks) : {};
    const aliases = stored?.aliases !== undefined && modelAliasesProblems(stored.aliases).length === 0 ? (stored.aliases as ModelAliases) : {};
    return { strategy, fallbacks, aliases };
  }

  /** 400 when an alias is also the id of a model an instance lists: the alias would hide that model. */
  async replace(request: UpdateRoutingPolicyRequest): Promise<RoutingPolicyView> {
    const policy: RoutingPolicyView = { strategy: request.strategy, fallbacks: trimmed(request.fallbacks ?? {}), aliases: trimmed(request.aliases ?? {}) };
    const served = new Set((await this.instances.find({ select: { models: true } })).flatMap((instance) => instance.models));
    const details = Object.keys(policy.aliases)
      .filter((alias) => served.has(alias))
      .map((alias) => ({ field: `aliases.${alias}`, message: 'is the id of a model an instance serves; choose another name' }));
    if (details.length > 0) throw ApiError.badRequest('validation_failed', `Invalid request: check ${details.map((detail) => detail.field).join(', ')}`, details);
    await this.settings.put(SETTING_KEYS.routing, policy);
    return policy;
  }
}

function trimmed(models: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(models).map(([model, list]) => [model.trim(), list.map((other) => other.trim())]));
}
