import { registerDecorator, ValidationOptions } from 'class-validator';
import { modelFallbacksProblems } from './model-fallbacks';

/**
 * What is wrong with an aliases map (`{alias: [model, …]}`): the shape rules of fallbacks, and no
 * alias may list another alias (resolution is one step, so a chain would silently route nowhere).
 */
export function modelAliasesProblems(value: unknown, field = 'aliases'): { field: string; message: string }[] {
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
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isModelAliases',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => modelAliasesProblems(value).length === 0,
        defaultMessage: (args) =>
          modelAliasesProblems(args?.value, args?.property)
            .map((problem) => `${problem.field} ${problem.message}`)
            .join('; ') || `${args?.property} is invalid`,
      },
    });
}
