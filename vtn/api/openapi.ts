import { z } from 'zod';
import type { OperatorRoute } from './operator-routes.js';
import { problemOutput } from './operator-schemas.js';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), for the side of the exchange it describes. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  // Metadata may unset a keyword (undefined); the document is plain JSON.
  return JSON.parse(JSON.stringify(rest)) as JsonSchema;
}

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/**
 * The operator API's OpenAPI 3.1 document, generated from the route table: each route's query,
 * body and answers are the zod schemas the server validates with, so the document cannot drift.
 */
export function openApiDocument(routes: readonly OperatorRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const pathParameters = [...r.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const queryParameters = r.query ? Object.entries(r.query.shape).map(([name, field]) => {
      const schema = jsonSchema(field as z.ZodType, 'input');
      const { description, ...rest } = schema;
      return { name, in: 'query', required: !(field as z.ZodType).safeParse(undefined).success, ...(description ? { description } : {}), schema: rest };
    }) : [];
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(r.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } } : {}),
        ...(response.contentType ? { content: { [response.contentType]: { schema: { type: 'string' } } } } : {}),
      };
    }
    responses['4XX'] = { description: 'refused: the problem names why (RFC 9457)', content: PROBLEM };
    responses['5XX'] = { description: 'failed or not ready; nothing was stored', content: PROBLEM };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method.toLowerCase()}${r.path.replace(/\{(\w+)\}/g, 'By-$1').split(/[/.-]/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('')}`,
      ...(r.auth ? {} : { security: [] }),
      ...(pathParameters.length || queryParameters.length ? { parameters: [...pathParameters, ...queryParameters] } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'FlexBridge VTN operator API', version,
      description: 'Programs, events, VENs, opts and telemetry of the FlexBridge VTN, and a live feed of every state change. Generated from the route table the server runs.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the operator token (api.token in the VTN configuration)' } },
      schemas: { Problem: jsonSchema(problemOutput, 'output') },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
