/** The OpenAPI 3.1 document, generated from the same route declarations and zod schemas that validate requests. */
import { z } from 'zod';
import type { RouteSpec } from './route';
import { ERROR_STATUS } from './errors';
import { MESSAGES } from '../i18n/messages';

function schemaOf(s: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function paramsOf(spec: RouteSpec): unknown[] {
  const out: unknown[] = [];
  const pathNames = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  for (const name of pathNames) out.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  if (spec.query) {
    const js = schemaOf(spec.query) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: 'query', required: js.required?.includes(name) ?? false, schema });
    }
  }
  if (spec.idempotent)
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
      description: 'Same key and body → the first response; different body → 409 IDEMPOTENCY_KEY_REUSED.',
    });
  return out;
}

const problem = { $ref: '#/components/schemas/Problem' };

/** "BID_TOO_LOW (params: minimum)": the figures a refusal carries, as listed in the message catalogue. */
function codeWithParams(code: string): string {
  const entry = MESSAGES[code];
  const names = [...Object.keys(entry?.params ?? {}), ...(entry?.variants ? ['reason'] : [])];
  return names.length ? `${code} (params: ${names.join(', ')})` : code;
}

/** Each code's `params` as a schema: decimal strings and names; `reason` picks the message variant. */
function errorParamsSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [code, entry] of Object.entries(MESSAGES)) {
    const properties: Record<string, unknown> = {};
    for (const [name, kind] of Object.entries(entry.params ?? {})) properties[name] = { type: 'string', description: kind };
    if (entry.variants) properties.reason = { type: 'string', enum: Object.keys(entry.variants) };
    if (Object.keys(properties).length) out[code] = { type: 'object', properties };
  }
  return out;
}

export function buildOpenApi(specs: readonly RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const oaPath = spec.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {
      [String(spec.successStatus ?? 200)]: {
        description: 'Success',
        ...(spec.response ? { content: { 'application/json': { schema: schemaOf(spec.response) } } } : {}),
      },
    };
    const codes = new Set<string>([
      'VALIDATION_FAILED',
      ...(spec.access === 'public' ? [] : ['UNAUTHENTICATED', 'FORBIDDEN']),
      ...(spec.errors ?? []),
    ]);
    for (const code of codes) {
      const status = String((ERROR_STATUS as Record<string, number>)[code] ?? 422);
      const existing = responses[status] as { description: string } | undefined;
      const label = codeWithParams(code);
      responses[status] = {
        description: existing ? `${existing.description}, ${label}` : label,
        content: { 'application/problem+json': { schema: problem } },
      };
    }
    (paths[oaPath] ??= {})[spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.access === 'public' ? { security: [] } : {}),
      ...(Array.isArray(spec.access) ? { description: `Roles: ${spec.access.join(', ')}` } : {}),
      // Machine-readable access list ('public', 'signed-in' or the roles): the authorization matrix test reads it.
      'x-access': spec.access,
      parameters: paramsOf(spec),
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'S-fund exchange API',
      version,
      description: 'Fund-share transfers: continuous book, listings, transfer workflow, valuation. Decimals travel as strings.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string', description: 'In the language of Accept-Language (zh or en)' },
            status: { type: 'integer' },
            code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
            detail: { type: 'string', description: 'In the language of Accept-Language, figures grouped' },
            params: { type: 'object', description: 'Figures as decimal strings and the variant (reason); see x-error-params by code' },
          },
        },
      },
    },
    'x-error-params': errorParamsSchemas(),
    paths,
  };
}
