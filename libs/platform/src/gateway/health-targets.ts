/** Parses `name=url[|url…],…` (HEALTH_TARGETS) into service → URLs. */
export function parseHealthTargets(value: string): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new Error(`HEALTH_TARGETS entry "${entry}" is not name=url`);
    const urls = entry.slice(at + 1).split('|').map((u) => u.trim().replace(/\/$/, '')).filter(Boolean);
    targets.set(entry.slice(0, at).trim(), urls);
  }
  return targets;
}

/** ok when every service is up, else degraded (API.md `/api/v1/health`). */
export function overallStatus(services: Record<string, 'up' | 'down'>): 'ok' | 'degraded' {
  return Object.values(services).every((s) => s === 'up') ? 'ok' : 'degraded';
}

/** Merges per-service OpenAPI documents into one: paths and component schemas side by side. */
export function mergeOpenApi(base: OpenApiDocument, parts: OpenApiDocument[]): OpenApiDocument {
  const merged: OpenApiDocument = { ...base, paths: {}, components: { ...(base.components ?? {}), schemas: {} } };
  for (const part of parts) {
    Object.assign(merged.paths, part.paths ?? {});
    Object.assign(merged.components!.schemas!, part.components?.schemas ?? {});
    for (const [name, scheme] of Object.entries(part.components?.securitySchemes ?? {})) {
      merged.components!.securitySchemes = { ...(merged.components!.securitySchemes ?? {}), [name]: scheme };
    }
    for (const tag of part.tags ?? []) {
      if (!(merged.tags ?? []).some((t) => t.name === tag.name)) merged.tags = [...(merged.tags ?? []), tag];
    }
  }
  merged.paths = Object.fromEntries(Object.entries(merged.paths).sort(([a], [b]) => a.localeCompare(b)));
  return merged;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  tags?: { name: string; description?: string }[];
  [key: string]: unknown;
}
