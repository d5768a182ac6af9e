import { LimitedByAddress, Public } from '../auth/decorators';
import { Controller, Get, Injectable } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AggregatedHealth } from '@ish/contracts';
import { GatewayConfig } from './gateway.config';
import { Memo } from './memo';
import { mergeOpenApi, OpenApiDocument, overallStatus, parseHealthTargets } from './health-targets';

const PROBE_TIMEOUT_MS = 1500;
/** the services' documents change only with a deployment; one missing a part is asked again soon */
const OPENAPI_CACHE_MS = 5 * 60_000;
const OPENAPI_PARTIAL_CACHE_MS = 5_000;
/** callers within this window share one round of probes */
const HEALTH_CACHE_MS = 1_000;

/** Holds this service's own OpenAPI document, built at bootstrap. */
@Injectable()
export class OpenApiRegistry {
  document?: OpenApiDocument;
}

/** The version of the repository's package.json, found by walking up from this file (source or dist). */
export const APP_VERSION: string = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ish-chat' && pkg.version) return pkg.version;
    } catch {
      /* keep walking */
    }
  }
  return process.env.APP_VERSION ?? '0.0.0';
})();

/**
 * What the gateway answers for the system as a whole. Every service can answer it (nginx sends these
 * paths to whichever service is up), asking the others over HTTP.
 */
@Public()
@LimitedByAddress()
@ApiExcludeController()
@Controller('api/v1')
export class GatewayController {
  private readonly targets: Map<string, string[]>;
  private readonly openApiCache = new Memo<{ document: OpenApiDocument; complete: boolean }>();
  private readonly healthCache = new Memo<AggregatedHealth>();

  constructor(
    config: GatewayConfig,
    private readonly openApi: OpenApiRegistry,
  ) {
    this.targets = parseHealthTargets(config.HEALTH_TARGETS);
  }

  @Get('health')
  health(): Promise<AggregatedHealth> {
    return this.healthCache.get(() => this.probeHealth(), () => HEALTH_CACHE_MS);
  }

  /** one document for the whole API, merged from every service's and served from memory */
  @Get('openapi.json')
  async openapi(): Promise<OpenApiDocument> {
    const { document } = await this.openApiCache.get(
      () => this.mergeOpenApi(),
      ({ complete }) => (complete ? OPENAPI_CACHE_MS : OPENAPI_PARTIAL_CACHE_MS),
    );
    return document;
  }

  private async probeHealth(): Promise<AggregatedHealth> {
    const entries = await Promise.all(
      [...this.targets].map(async ([name, urls]) => {
        const results = await Promise.all(urls.map((url) => isReady(url)));
        return [name, results.some(Boolean) ? 'up' : 'down'] as const;
      }),
    );
    const services = Object.fromEntries(entries) as Record<string, 'up' | 'down'>;
    return { status: overallStatus(services), version: APP_VERSION, timestamp: new Date().toISOString(), services };
  }

  private async mergeOpenApi(): Promise<{ document: OpenApiDocument; complete: boolean }> {
    const own = this.openApi.document;
    const parts = await Promise.all(
      [...this.targets.values()].map(async (urls) => {
        for (const url of urls) {
          const document = await fetchJson<OpenApiDocument>(`${url}/openapi.json`);
          if (document) return document;
        }
        return undefined;
      }),
    );
    const base: OpenApiDocument = {
      openapi: '3.0.0',
      info: { title: 'ISH Chat API', version: APP_VERSION, description: 'One document for every ISH Chat service behind the gateway.' },
      paths: {},
      servers: [{ url: '/' }],
    };
    const document = mergeOpenApi(base, [own, ...parts].filter((d): d is OpenApiDocument => !!d));
    return { document, complete: !parts.includes(undefined) };
  }
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}

async function fetchJson<T>(url: string): Promise<T | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}
