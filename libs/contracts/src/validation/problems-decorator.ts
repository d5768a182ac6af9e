import { registerDecorator, ValidationOptions } from 'class-validator';

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A class-validator decorator from a function listing what is wrong with a value (empty when it is fine): the
 * message names every problem as `field message`, with the property's own name as the field.
 */
export function problemsDecorator(name: string, problems: (value: unknown, field?: string) => FieldProblem[], options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => problems(value).length === 0,
        defaultMessage: (args) =>
          problems(args?.value, args?.property)
            .map((problem) => `${problem.field} ${problem.message}`)
            .join('; ') || `${args?.property} is invalid`,
      },
    });
}
