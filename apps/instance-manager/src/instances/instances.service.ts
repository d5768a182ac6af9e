import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { CreateInstanceRequest, InstanceSettings, InstanceView, normaliseHost, ProviderType, UpdateInstanceRequest } from '@ish/contracts';
import { INSTANCES_TABLE, InstanceEntity } from '@ish/database';
import { ApiError, InstanceKeyConfig, rowContext, SecretBox } from '@ish/platform';
import { anthropicVersionOf, PROVIDER_SPECS, ProviderConfigError } from '@ish/providers';
import { HealthCheckService } from '../health/health-check.service';
import { RoutingTableService } from '../routing/routing-table.service';
import { InstanceStatusWriter } from '../status/instance-status.writer';
import { InstanceLiveState } from './instance-live-state';

@Injectable()
export class InstancesService {
  private readonly box: SecretBox;

  constructor(
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly routingTable: RoutingTableService,
    private readonly live: InstanceLiveState,
    private readonly statusWriter: InstanceStatusWriter,
    private readonly health: HealthCheckService,
    instanceKey: InstanceKeyConfig,
  ) {
    this.box = new SecretBox(instanceKey.INSTANCE_KEY_ENCRYPTION_KEY);
  }

  async list(): Promise<InstanceView[]> {
    const rows = await this.instances.find({ order: { priority: 'ASC', name: 'ASC' } });
    return this.live.views(rows);
  }

  async get(id: string): Promise<InstanceView> {
    const [view] = await this.live.views([await this.find(id)]);
    return view;
  }

  async create(request: CreateInstanceRequest): Promise<InstanceView> {
    const spec = PROVIDER_SPECS[request.providerType];
    const baseUrl = (request.baseUrl ?? spec.defaultBaseUrl)?.replace(/\/+$/, '');
    if (!baseUrl) throw ApiError.badRequest('validation_failed', `baseUrl is required for ${spec.label} instances`, [{ field: 'baseUrl', message: `required for ${request.providerType}` }]);
    if (spec.requiresApiKey && !request.apiKey) throw ApiError.badRequest('validation_failed', `${spec.label} instances need an apiKey`, [{ field: 'apiKey', message: `required for ${request.providerType}` }]);
    const settings = checkedSettings(request.providerType, settingsOf(request, {}));
    // the id is chosen here: the key is sealed for its row
    const id = randomUUID();
    const row = await this.instances.save(
      this.instances.create({
        id,
        name: request.name,
        providerType: request.providerType,
        baseUrl,
        apiKeyEncrypted: request.apiKey ? this.box.seal(request.apiKey, rowContext(INSTANCES_TABLE, id)) : null,
        models: request.models,
        weight: request.weight ?? 1,
        priority: request.priority ?? 0,
        maxConcurrency: request.maxConcurrency ?? 10,
        timeoutMs: request.timeoutMs ?? 30_000,
        standby: request.standby ?? false,
        status: request.standby ? 'standby' : 'healthy',
        settings,
      }),
    );
    await this.routingTable.publish();
    return this.get(row.id);
  }

  async update(id: string, request: UpdateInstanceRequest): Promise<InstanceView> {
    const row = await this.find(id);
    const from = row.status;
    const { apiKey, enabled, anthropicVersion, defaultMaxTokens, apiVersion, deployments, prices, ...fields } = request;
    row.settings = checkedSettings(row.providerType, settingsOf({ anthropicVersion, defaultMaxTokens, apiVersion, deployments, prices }, row.settings ?? {}));
    if (fields.baseUrl !== undefined && row.apiKeyEncrypted && apiKey === undefined && originOf(fields.baseUrl) !== originOf(row.baseUrl)) {
      throw ApiError.badRequest('api_key_required', 'The instance holds an API key: send apiKey with a baseUrl on another host (a stored key never follows an instance to a new host)', [
        { field: 'apiKey', message: 'required when baseUrl moves to another host' },
      ]).withParam('apiKey');
    }
    // validated DTOs carry every declared field, unset ones as undefined: only what was sent may change
    Object.assign(row, Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)));
    const keyContext = rowContext(INSTANCES_TABLE, row.id);
    if (apiKey !== undefined) row.apiKeyEncrypted = apiKey ? this.box.seal(apiKey, keyContext) : null;
    else if (row.apiKeyEncrypted && this.box.isLegacy(row.apiKeyEncrypted)) row.apiKeyEncrypted = resealed(this.box, row.apiKeyEncrypted, keyContext);
    if (enabled === false) row.status = 'disabled';
    else if (enabled === true && row.status === 'disabled') row.status = row.standby ? 'standby' : 'healthy';
    if (request.standby !== undefined && row.status !== 'disabled') row.status = request.standby ? 'standby' : row.status === 'standby' ? 'healthy' : row.status;
    await this.instances.save(row);
    // back in service: earlier probe failures and an open circuit no longer describe it
    if (from === 'disabled' && row.status !== 'disabled') await this.health.forget(id);
    await this.statusWriter.announce(row, from, row.status, operatorReason(request));
    await this.routingTable.publish();
    return this.get(id);
  }

  /**
   * Requests already routed to it finish: relay and worker hold what they need for them, and their
   * in-flight counts are keyed by instance id alone, so releasing them after the delete is fine.
   */
  async remove(id: string): Promise<void> {
    await this.find(id);
    await this.instances.delete({ id });
    await this.routingTable.publish();
    await this.health.forget(id);
  }

  /** API.md `GET /instances/status` */
  async status(): Promise<{ providers: Record<string, { total: number; healthy: number; unhealthy: number }>; instances: number }> {
    const rows = await this.dataSource.query<{ provider: string; total: number; healthy: number; unhealthy: number }[]>(
      `SELECT provider_type AS provider, count(*)::int AS total,
              count(*) FILTER (WHERE status = 'healthy')::int AS healthy,
              count(*) FILTER (WHERE status = 'unhealthy')::int AS unhealthy
       FROM ai_instances GROUP BY provider_type ORDER BY provider_type`,
    );
    const providers = Object.fromEntries(rows.map((r) => [r.provider, { total: r.total, healthy: r.healthy, unhealthy: r.unhealthy }]));
    return { providers, instances: rows.reduce((sum, r) => sum + r.total, 0) };
  }

  private async find(id: string): Promise<InstanceEntity> {
    const row = await this.instances.findOne({ where: { id } });
    if (!row) throw ApiError.notFound('No such instance', 'instance_not_found');
    return row;
  }
}

const SETTING_FIELDS = ['anthropicVersion', 'defaultMaxTokens', 'apiVersion', 'deployments', 'prices'] as const;

/** The stored settings with the request's applied: a value sets, `null` clears, absent keeps. */
function settingsOf(request: { [K in (typeof SETTING_FIELDS)[number]]?: InstanceSettings[K] | null }, stored: InstanceSettings): InstanceSettings {
  const next: Record<string, unknown> = { ...stored };
  for (const field of SETTING_FIELDS) {
    const value = request[field];
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return next as InstanceSettings;
}

/** Settings the provider type reads; one it cannot honour is a 400 naming it, not a silent no-op. */
function checkedSettings(providerType: ProviderType, settings: InstanceSettings): InstanceSettings {
  const owner: Record<string, ProviderType[]> = { anthropicVersion: ['anthropic'], defaultMaxTokens: ['anthropic'], apiVersion: ['azure-openai'], deployments: ['azure-openai'] };
  for (const [field, types] of Object.entries(owner)) {
    if (settings[field as keyof InstanceSettings] !== undefined && !types.includes(providerType)) {
      throw ApiError.badRequest('validation_failed', `${field} applies to ${types.join(', ')} instances only`, [{ field, message: `not a setting of ${providerType}` }]);
    }
  }
  try {
    if (providerType === 'anthropic') anthropicVersionOf(settings);
  } catch (error) {
    if (!(error instanceof ProviderConfigError)) throw error;
    throw ApiError.badRequest('validation_failed', error.message, [{ field: 'anthropicVersion', message: error.message }]);
  }
  return settings;
}

/** a v1 value (sealed before the row binding) sealed again for its row; unchanged when it does not open (the probe reports that) */
function resealed(box: SecretBox, sealed: string, context: string): string {
  try {
    return box.seal(box.open(sealed, context), context);
  } catch {
    return sealed;
  }
}

/** scheme, host (one spelling: case, brackets and trailing dots aside) and effective port: where a key would be sent */
function originOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${normaliseHost(url.hostname)}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

function operatorReason(request: UpdateInstanceRequest): string {
  if (request.enabled === false) return 'disabled by an operator';
  if (request.enabled === true) return 'enabled by an operator';
  return request.standby ? 'put on standby by an operator' : 'taken off standby by an operator';
}
