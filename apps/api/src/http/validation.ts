import { ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { validationFailed } from '@imprimatur/domain';

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
