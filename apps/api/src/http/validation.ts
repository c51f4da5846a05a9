import { ParseUUIDPipe, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { INT4_MAX, validationFailed } from '@imprimatur/domain';

/** Flattens class-validator's tree into `{ "roles.0": ["..."] }`. */
export function fieldErrors(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      fields[path || '(body)'] = Object.entries(error.constraints).map(([rule, message]) =>
        // class-validator names the unknown property in its message already
        rule === 'whitelistValidation' ? 'is not an allowed field' : message,
      );
    }
    Object.assign(fields, fieldErrors(error.children ?? [], path));
  }
  return fields;
}

/** Unknown fields are refused, not silently dropped: a typo in a request must not pass unnoticed. */
export const validationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = fieldErrors(errors);
      const names = Object.keys(fields);
      return validationFailed(`Invalid request: ${names.join(', ')}`, { fields });
    },
  });

export const uuidPipe = (name = 'id') =>
  new ParseUUIDPipe({
    exceptionFactory: () => validationFailed(`${name} must be a UUID`, { fields: { [name]: ['must be a UUID'] } }),
  });

/**
 * A whole-number path parameter (a revision or version number) in 1..2147483647, the range of the
 * `integer` column it is looked up in. Beyond it no such row can exist, and the number must not
 * reach SQL, where it would be an error rather than a miss. The global ValidationPipe runs first and
 * has usually turned the text into a number already (`Number()`, so `1e3` is 1000).
 */
export const positiveIntPipe = (name: string): PipeTransform<string | number, number> => ({
  transform(value: string | number): number {
    const n = typeof value === 'number' ? value : /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(Number.isInteger(n) && n >= 1 && n <= INT4_MAX)) {
      throw validationFailed(`${name} must be a whole number from 1 to ${INT4_MAX}`, {
        fields: { [name]: [`must be a whole number from 1 to ${INT4_MAX}`] },
      });
    }
    return n;
  },
});
