import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Imprimatur API')
    .setDescription(
      [
        'Editorial review for medical articles: editors draft, the Medical Advisory Board reviews and signs off, readers get only what was approved.',
        '',
        'Every error has the body `{statusCode, error, code, message, details?}`. Lists take `limit` (1..100, default 20) and an opaque `cursor`, and answer `{items, nextCursor}`.',
        'Unknown JSON fields are refused with 400 `validation_failed`; bodies over 1 MiB with 413 `payload_too_large`.',
      ].join('\n'),
    )
    .setVersion('0.1.0')
    .setLicense('Proprietary', 'https://imprimatur.invalid/license')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addServer('/')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Public operations say so explicitly (an empty requirement), as OpenAPI linters and generated clients expect.
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
  return document;
}

/** Swagger UI at /docs and the OpenAPI 3 document at /docs-json. */
export function serveOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApi(app), { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
