import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/** class-validator: a number strictly below the number in `property` of the same object */
export function IsLessThanProperty(property: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isLessThanProperty',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [property],
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const other = (args.object as Record<string, unknown>)[property];
          // the other field's own validators report it when it is not a number
          return typeof value === 'number' && (typeof other !== 'number' || value < other);
        },
        defaultMessage: (args) => `${args?.property} must be less than ${property}`,
      },
    });
}
