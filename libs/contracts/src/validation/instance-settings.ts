import type { ValidationOptions } from 'class-validator';
import { FieldProblem, problemsDecorator } from './problems-decorator';

/** USD per million tokens of one model (API.md "Instances" `prices`). */
export interface ModelPriceSetting {
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok?: number;
}
export type ModelPrices = Record<string, ModelPriceSetting>;

const MAX_ENTRIES = 500;
const MAX_KEY_LENGTH = 200;
const PRICE_FIELDS = ['inputPerMTok', 'outputPerMTok', 'cachedInputPerMTok'] as const;

type Problem = FieldProblem;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyProblem(key: string): string | undefined {
  return key.trim().length === 0 || key.length > MAX_KEY_LENGTH ? `model ids must be 1 to ${MAX_KEY_LENGTH} characters` : undefined;
}

/** What is wrong with a `prices` map, one entry per offending field (`prices.gpt-4o.inputPerMTok`). */
export function modelPricesProblems(value: unknown, field = 'prices'): Problem[] {
  if (!isObject(value)) return [{ field, message: 'must be an object mapping a model to {inputPerMTok, outputPerMTok, cachedInputPerMTok?}' }];
  const entries = Object.entries(value);
  if (entries.length > MAX_ENTRIES) return [{ field, message: `must name at most ${MAX_ENTRIES} models` }];
  const problems: Problem[] = [];
  for (const [model, price] of entries) {
    const at = `${field}.${model}`;
    const badKey = keyProblem(model);
    if (badKey) problems.push({ field: at, message: badKey });
    else if (!isObject(price)) problems.push({ field: at, message: 'must be {inputPerMTok, outputPerMTok, cachedInputPerMTok?}' });
    else {
      for (const key of Object.keys(price)) if (!(PRICE_FIELDS as readonly string[]).includes(key)) problems.push({ field: `${at}.${key}`, message: 'is not a price field' });
      for (const name of PRICE_FIELDS) {
        const amount = price[name];
        if (amount === undefined && name === 'cachedInputPerMTok') continue;
        if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0 || amount > 1_000_000) {
          problems.push({ field: `${at}.${name}`, message: 'must be a number of USD per million tokens, 0 to 1000000' });
        }
      }
    }
  }
  return problems;
}

/** What is wrong with an Azure `deployments` map (`{model: deployment}`). */
export function deploymentsProblems(value: unknown, field = 'deployments'): Problem[] {
  if (!isObject(value)) return [{ field, message: 'must be an object mapping a model to a deployment name' }];
  const entries = Object.entries(value);
  if (entries.length > MAX_ENTRIES) return [{ field, message: `must name at most ${MAX_ENTRIES} models` }];
  const problems: Problem[] = [];
  for (const [model, deployment] of entries) {
    const at = `${field}.${model}`;
    const badKey = keyProblem(model);
    if (badKey) problems.push({ field: at, message: badKey });
    // Azure deployment names: letters, digits, `-`, `_`, `.`; they end up in a URL path
    else if (typeof deployment !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(deployment)) problems.push({ field: at, message: 'must be a deployment name of 1 to 64 letters, digits, ".", "_" or "-"' });
  }
  return problems;
}

/** class-validator: `{model: {inputPerMTok, outputPerMTok, cachedInputPerMTok?}}` */
export function IsModelPrices(options?: ValidationOptions): PropertyDecorator {
  return problemsDecorator('isModelPrices', modelPricesProblems, options);
}

/** class-validator: `{model: deployment}` */
export function IsDeployments(options?: ValidationOptions): PropertyDecorator {
  return problemsDecorator('isDeployments', deploymentsProblems, options);
}
