import type { ValidationOptions } from 'class-validator';
import { modelFallbacksProblems } from './model-fallbacks';
import { FieldProblem, problemsDecorator } from './problems-decorator';

/**
 * What is wrong with an aliases map (`{alias: [model, …]}`): the shape rules of fallbacks, and no
 * alias may list another alias (resolution is one step, so a chain would silently route nowhere).
 */
export function modelAliasesProblems(value: unknown, field = 'aliases'): FieldProblem[] {
  const problems = modelFallbacksProblems(value, field);
  if (problems.length > 0) return problems;
  const aliases = value as Record<string, string[]>;
  const names = new Set(Object.keys(aliases).map((alias) => alias.trim()));
  for (const [alias, models] of Object.entries(aliases)) {
    const nested = models.map((model) => model.trim()).filter((model) => names.has(model));
    if (nested.length > 0) problems.push({ field: `${field}.${alias}`, message: `must list models, not aliases (${nested.join(', ')})` });
  }
  return problems;
}

/** class-validator: a map of alias → non-empty list of models that are not aliases */
export function IsModelAliases(options?: ValidationOptions): PropertyDecorator {
  return problemsDecorator('isModelAliases', modelAliasesProblems, options);
}
