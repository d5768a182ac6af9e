import express, { RequestHandler } from 'express';
import type { LoadedConfig } from '../config/config';
import { keepRawBody } from './raw-body';

/** Routes whose JSON bodies have their own limit instead of HTTP_BODY_LIMIT: each path and every path below it. */
export interface BodyLimit {
  paths: string[];
  limit: (config: LoadedConfig) => number | string;
  /** keep the body's bytes too (rawBodyOf): for routes that forward what the client sent as it came */
  keepRaw?: boolean;
}

/** whether `path` is `route` or below it (`/api/v1/webhooks/…`, not `/api/v1/webhooksX`) */
export function isUnder(path: string, route: string): boolean {
  return path === route || (path.startsWith(route) && path[route.length] === '/');
}

/** The JSON parser for a path: the first limit naming it, HTTP_BODY_LIMIT's for the rest (one parser per limit). */
export function jsonParserFor(defaultLimit: string, limits: { paths: string[]; limit: number | string; keepRaw?: boolean }[]): (path: string) => RequestHandler {
  const fallback = express.json({ limit: defaultLimit });
  const parsers = limits.map(({ paths, limit, keepRaw }) => ({ paths, parse: express.json({ limit, ...(keepRaw ? { verify: keepRawBody } : {}) }) }));
  return (path) => parsers.find(({ paths }) => paths.some((route) => isUnder(path, route)))?.parse ?? fallback;
}
