import express, { RequestHandler } from 'express';
import type { LoadedConfig } from '../config/config';

/** Routes whose JSON bodies have their own limit instead of HTTP_BODY_LIMIT: each path and every path below it. */
export interface BodyLimit {
  paths: string[];
  limit: (config: LoadedConfig) => number | string;
}

/** whether `path` is `route` or below it (`/api/v1/webhooks/…`, not `/api/v1/webhooksX`) */
export function isUnder(path: string, route: string): boolean {
  return path === route || (path.startsWith(route) && path[route.length] === '/');
}

/** The JSON parser for a path: the first limit naming it, HTTP_BODY_LIMIT's for the rest (one parser per limit). */
export function jsonParserFor(defaultLimit: string, limits: { paths: string[]; limit: number | string }[]): (path: string) => RequestHandler {
  const fallback = express.json({ limit: defaultLimit });
  const parsers = limits.map(({ paths, limit }) => ({ paths, parse: express.json({ limit }) }));
  return (path) => parsers.find(({ paths }) => paths.some((route) => isUnder(path, route)))?.parse ?? fallback;
}
