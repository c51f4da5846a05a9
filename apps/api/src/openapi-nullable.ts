import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

/**
 * @nestjs/swagger writes a nullable reference as `{nullable: true, type: 'object', allOf: [{$ref}]}`.
 * Under OpenAPI 3.0.3, `nullable` widens only its own schema's `type`, so the `allOf` still demands
 * the referenced object and a strict validator refuses `null` (the audit entries' `actor`, a
 * comment's `anchor`). Inlining the referenced object's schema beside `nullable` says what the API
 * does: `properties` and `required` apply to objects only, so `null` passes and an object is checked.
 */
export function inlineNullableReferences(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const inlined = new Set<string>();
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (!value || typeof value !== 'object') return value;
    const schema = value as Schema;
    const only = Array.isArray(schema.allOf) && schema.allOf.length === 1 ? (schema.allOf[0] as Schema) : null;
    if (
      schema.nullable === true &&
      only &&
      typeof only.$ref === 'string' &&
      only.$ref.startsWith('#/components/schemas/')
    ) {
      const name = only.$ref.slice('#/components/schemas/'.length);
      const target = schemas[name];
      if (target) {
        inlined.add(name);
        const { allOf: _allOf, ...rest } = schema;
        return { ...(visit(target) as Schema), ...rest, nullable: true };
      }
    }
    return Object.fromEntries(Object.entries(schema).map(([key, inner]) => [key, visit(inner)]));
  };
  const result = visit(document) as OpenAPIObject;
  // A schema now used only inline would be an unused component.
  const text = JSON.stringify(result);
  for (const name of inlined) {
    if (!text.includes(`"#/components/schemas/${name}"`)) delete result.components?.schemas?.[name];
  }
  return result;
}
