import { Public } from '../auth/decorators';
import { Controller, Get, Injectable } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AggregatedHealth } from '@ish/contracts';
import { BaseConfig } from '../config/config';
import { mergeOpenApi, OpenApiDocument, overallStatus, parseHealthTargets } from './health-targets';

const PROBE_TIMEOUT_MS = 1500;

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
@ApiExcludeController()
@Controller('api/v1')
export class GatewayController {
  private readonly targets: Map<string, string[]>;

  constructor(
    config: BaseConfig,
    private readonly openApi: OpenApiRegistry,
  ) {
    this.targets = parseHealthTargets(config.HEALTH_TARGETS);
  }

  @Get('health')
  async health(): Promise<AggregatedHealth> {
    const entries = await Promise.all(
      [...this.targets].map(async ([name, urls]) => {
        const results = await Promise.all(urls.map((url) => isReady(url)));
        return [name, results.some(Boolean) ? 'up' : 'down'] as const;
      }),
    );
    const services = Object.fromEntries(entries) as Record<string, 'up' | 'down'>;
    return { status: overallStatus(services), version: APP_VERSION, timestamp: new Date().toISOString(), services };
  }

  @Get('openapi.json')
  async openapi(): Promise<OpenApiDocument> {
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
    return mergeOpenApi(base, [own, ...parts].filter((d): d is OpenApiDocument => !!d));
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
