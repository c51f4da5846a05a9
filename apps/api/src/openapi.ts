import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_DESCRIPTIONS } from './http/api-errors';
import { ErrorBody } from './http/error-body';
import { MAX_JSON_DEPTH, MAX_URL_LENGTH } from './http/input-limits';
import { inlineNullableReferences } from './openapi-nullable';

export function buildOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Imprimatur API')
    .setDescription(
      [
        'Editorial review for medical articles: editors draft, the Medical Advisory Board reviews and signs off, readers get only what was approved.',
        '',
        'Every error has the body `{statusCode, error, code, message, details?}`. Lists take `limit` (1..100, default 20) and an opaque `cursor`, and answer `{items, nextCursor}`.',
        'Unknown JSON fields are refused with 400 `validation_failed`; bodies over 1 MiB with 413 `payload_too_large`.',
        '',
        `Input limits, on every route: request bodies are JSON only (anything else is 415 \`unsupported_media_type\`); JSON nested deeper than ${MAX_JSON_DEPTH} levels, text holding NUL or an unpaired UTF-16 surrogate (in the body, the path or the query) and integers beyond a column's range are 400 \`validation_failed\`; a URL over ${MAX_URL_LENGTH / 1024} KiB is 414 \`uri_too_long\`. A route without a documented body takes none (or \`{}\`). Access tokens must carry \`exp\`.`,
      ].join('\n'),
    )
    .setVersion('0.1.0')
    .setLicense('Proprietary', 'https://imprimatur.invalid/license')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addServer('/')
    .build();
  const document = inlineNullableReferences(SwaggerModule.createDocument(app, config));
  // Public operations say so explicitly (an empty requirement), as OpenAPI linters and generated clients expect.
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
      // Every route with a body refuses a body that is not JSON.
      if (operation?.requestBody && !operation.responses['415']) {
        operation.responses['415'] = {
          description: ERROR_DESCRIPTIONS[415],
          content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBody) } } },
        };
      }
    }
  }
  return document;
}

/** Swagger UI at /docs and the OpenAPI 3 document at /docs-json. */
export function serveOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
