import type { NextFunction, Request, Response } from 'express';
import type { ErrorDetail } from '@ish/contracts';
import { ApiError } from '../errors/api-error';

/**
 * How deeply a JSON body may nest. No request of the API comes close (a chat request with content
 * parts and a JSON-schema response format stays under 20); far deeper bodies made the recursive
 * walks of the validation pipe overflow the stack: a 500 for any client that sent `[[[[…]]]]`.
 */
export const MAX_JSON_DEPTH = 64;

/** true when `value` nests objects or arrays deeper than `max` levels (walked without recursion) */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const TEXT_PROBLEM = 'must be Unicode text without NUL characters or unpaired surrogates';

/** text no part of the system can carry: PostgreSQL refuses NUL in text and jsonb, validators and jsonb choke on lone surrogates */
function unsafeText(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}


/**
 * The fields (dotted paths, as validation errors name them) whose strings or keys are not safe text,
 * at most `limit` of them.
 */
export function unsafeTextFields(value: unknown, limit = 20): string[] {
  const fields: string[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0 && fields.length < limit) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (unsafeText(node)) fields.push(path || '(body)');
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      // numbers and booleans hold no text: a 30 MB array of them costs no entries (and no paths)
      for (let i = node.length - 1; i >= 0; i--) {
        const child: unknown = node[i];
        if (typeof child === 'string' || (child !== null && typeof child === 'object')) stack.push([child, path ? `${path}.${i}` : String(i)]);
      }
      continue;
    }
    for (const [key, child] of Object.entries(node).reverse()) {
      const childPath = path ? `${path}.${key}` : key;
      if (unsafeText(key)) fields.push(path ? `${path}.${JSON.stringify(key)}` : JSON.stringify(key));
      else stack.push([child, childPath]);
    }
  }
  return fields.slice(0, limit);
}

/**
 * Whether a parsed body nests deeper than `maxDepth` or holds unsafe text (in a string or a key), in one walk
 * that builds no paths: every request pays this one; only a refused one pays for naming its fields.
 */
export function inputProblem(value: unknown, maxDepth: number): 'too_deep' | 'unsafe_text' | null {
  const nodes: unknown[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (typeof node === 'string') {
      if (unsafeText(node)) return 'unsafe_text';
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return 'too_deep';
    if (Array.isArray(node)) {
      for (const child of node) {
        if (typeof child === 'string' || (child !== null && typeof child === 'object')) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key in node) {
      if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
      if (unsafeText(key)) return 'unsafe_text';
      nodes.push((node as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
  }
  return null;
}

/**
 * Express middleware after the JSON parser, before anything walks or stores the input: a body nested
 * too deeply, or a body or query holding NUL characters or unpaired surrogates, is a 400 in the
 * API.md shape (they used to surface as 500s from the validators and PostgreSQL).
 */
export function guardRequestInput(maxDepth = MAX_JSON_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    // a query's depth is not limited, only its text
    const problem = inputProblem(req.body, maxDepth) ?? inputProblem(req.query, Number.POSITIVE_INFINITY);
    if (problem === null) return next();
    if (req.body !== null && typeof req.body === 'object' && nestsDeeperThan(req.body, maxDepth)) {
      next(ApiError.badRequest('too_deeply_nested', `The request body nests objects or arrays deeper than ${maxDepth} levels`));
      return;
    }
    const fields = [...unsafeTextFields(req.body), ...unsafeTextFields(req.query)];
    if (fields.length > 0) {
      const details: ErrorDetail[] = fields.map((field) => ({ field, message: TEXT_PROBLEM }));
      next(ApiError.badRequest('validation_failed', `Invalid request: check ${fields.join(', ')}`, details));
      return;
    }
    next();
  };
}
