import type { ValidationOptions } from 'class-validator';
import { FieldProblem, problemsDecorator } from './problems-decorator';

export const MAX_FALLBACK_MODELS = 500;
export const MAX_FALLBACKS_PER_MODEL = 20;
const MAX_MODEL_ID_LENGTH = 200;

function isModelId(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= MAX_MODEL_ID_LENGTH;
}

/**
 * What is wrong with a fallbacks map (`{model: [model, …]}`), one entry per offending model, or an
 * empty list when it is fine. `field` is the map's own field name, so details read `fallbacks.gpt-4o`.
 */
export function modelFallbacksProblems(value: unknown, field = 'fallbacks'): FieldProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ field, message: 'must be an object mapping a model to a list of models' }];
  const entries = Object.entries(value);
  if (entries.length > MAX_FALLBACK_MODELS) return [{ field, message: `must name at most ${MAX_FALLBACK_MODELS} models` }];
  const problems: FieldProblem[] = [];
  for (const [model, list] of entries) {
    const at = `${field}.${model}`;
    if (!isModelId(model)) problems.push({ field: at, message: `model ids must be 1 to ${MAX_MODEL_ID_LENGTH} characters` });
    else if (!Array.isArray(list) || list.length === 0) problems.push({ field: at, message: 'must be a non-empty list of models' });
    else if (list.length > MAX_FALLBACKS_PER_MODEL) problems.push({ field: at, message: `must list at most ${MAX_FALLBACKS_PER_MODEL} models` });
    else if (!list.every(isModelId)) problems.push({ field: at, message: `must list model ids of 1 to ${MAX_MODEL_ID_LENGTH} characters` });
  }
  return problems;
}

/** class-validator: a map of model → non-empty list of fallback models */
export function IsModelFallbacks(options?: ValidationOptions): PropertyDecorator {
  return problemsDecorator('isModelFallbacks', modelFallbacksProblems, options);
}
