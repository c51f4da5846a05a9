import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Observable } from 'rxjs';
import { validationFailed } from '@imprimatur/domain';

/** Whether a handler declares a `@Body()` parameter (read from Nest's own route metadata). */
function takesBody(controller: object, handler: string): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
}

const isEmptyObject = (body: unknown) =>
  typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;

/**
 * A route that declares no `@Body()` (start-review, withdraw, checks/run, resolve, DELETE, …) takes
 * no body: none, or `{}`. Anything else is refused like an unknown field of a DTO, so that a client's
 * mistaken `{"reason": "…"}` to such a route fails loudly instead of being dropped. Deny by default:
 * a new bodiless route is covered without anyone remembering to.
 */
@Injectable()
export class NoUndeclaredBodyInterceptor implements NestInterceptor {
  private readonly verdicts = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const handler = context.getHandler();
    let declared = this.verdicts.get(handler);
    if (declared === undefined) {
      declared = takesBody(context.getClass(), handler.name);
      this.verdicts.set(handler, declared);
    }
    if (!declared) {
      const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
      if (body !== undefined && !isEmptyObject(body)) {
        const fields =
          typeof body === 'object' && body !== null && !Array.isArray(body)
            ? Object.fromEntries(Object.keys(body).map((name) => [name, ['is not an allowed field']]))
            : { '(body)': ['must be absent or {}: this route takes no body'] };
        throw validationFailed(`Invalid request: ${Object.keys(fields).join(', ')}`, { fields });
      }
    }
    return next.handle();
  }
}
