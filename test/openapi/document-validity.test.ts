// The served document is valid OpenAPI 3.1 according to an independent validator, and every example in it
// matches the schema it illustrates.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentSchemaValidator, type OpenApiDocument } from '../support/openapi.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('OpenAPI document validity', () => {
  let server: TestServer;
  let document: OpenApiDocument;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    const response = await fetch(`${server.url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    document = (await response.json()) as OpenApiDocument;
  });
  afterAll(() => server?.destroy());

  it('validates against the OpenAPI 3.1 schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('needs no authentication to read', async () => {
    const response = await fetch(`${server.url}/openapi.json`, { headers: { authorization: 'Bearer wrong' } });
    expect(response.status).toBe(200);
  });

  it('names the shared wire models as components', () => {
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'DestinationV1', 'DestinationMetadataV1', 'DestinationSubscription', 'SourceV1', 'SourceMetadataV1', 'AuditEventV1',
        'WorkspaceV1', 'PaginationInput', 'PaginationOutput', 'DeliveryMetricsSummaryBeta', 'RequestErrorEnvelope',
        'RequestError', 'FailedDelivery', 'SourceEvent', 'TrackEvent', 'BatchRequest', 'IngestSuccess', 'IngestError',
      ]),
    );
  });

  it('has examples that match their schemas', () => {
    const validate = documentSchemaValidator(document);
    const checked: string[] = [];
    const mismatches: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const media = [
          ...Object.values(operation.requestBody?.content ?? {}).map((m) => ['request', m] as const),
          ...Object.entries(operation.responses ?? {}).flatMap(([status, r]) => Object.values(r.content ?? {}).map((m) => [status, m] as const)),
        ];
        for (const [where, { schema, example }] of media) {
          if (example === undefined || schema === undefined) continue;
          const name = `${method.toUpperCase()} ${path} ${where}`;
          checked.push(name);
          for (const problem of validate(schema, example)) mismatches.push(`${name}: ${problem}`);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(150);
    expect(mismatches).toEqual([]);
  });

  it('rejects an example that does not match, so the check above means something', () => {
    const validate = documentSchemaValidator(document);
    const schema = { allOf: [{ $ref: '#/components/schemas/DestinationV1' }] };
    expect(validate(schema, { id: 'x', enabled: 'yes' })).not.toEqual([]);
  });
});
