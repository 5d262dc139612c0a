// API reference entries of the Tracking API paths (data-plane.md §1–§5; see src/http/openapi/operation-doc.ts).
import type { TSchema } from '@sinclair/typebox';
import { batchExample, trackEventExample } from '../../http/openapi/examples.js';
import {
  AliasEvent,
  BatchRequest,
  GroupEvent,
  IdentifyEvent,
  IngestError,
  IngestSuccess,
  PageEvent,
  ScreenEvent,
  TrackEvent,
} from '../../http/openapi/ingest-models.js';
import { modelBody, WRITE_KEY_SCHEME, type OperationDoc } from '../../http/openapi/operation-doc.js';
import type { IngestRoute } from './paths.js';

const BODIES: Record<IngestRoute['target'], { model: TSchema; example: unknown; summary: string }> = {
  track: { model: TrackEvent, example: trackEventExample, summary: 'Record a user action' },
  identify: { model: IdentifyEvent, example: { userId: 'u1', traits: { email: 'ada@example.org', plan: 'pro' } }, summary: 'Identify a user' },
  page: { model: PageEvent, example: { anonymousId: 'a-42', name: 'Pricing', properties: { url: 'https://example.org/pricing' } }, summary: 'Record a page view' },
  screen: { model: ScreenEvent, example: { userId: 'u1', name: 'Checkout' }, summary: 'Record a screen view' },
  group: { model: GroupEvent, example: { userId: 'u1', groupId: 'acme', traits: { employees: 120 } }, summary: 'Link a user to a group' },
  alias: { model: AliasEvent, example: { userId: 'u1', previousId: 'a-42' }, summary: 'Merge two user identities' },
  batch: { model: BatchRequest, example: batchExample, summary: 'Send several events' },
};

const ingestError = (description: string, code: string, message: string) =>
  modelBody(IngestError, { description, examples: [{ success: false, code, message }] });

const RESPONSES: Record<number, TSchema> = {
  400: ingestError('Invalid JSON, body over the limit, or an invalid single event', 'input-validation', '"event" is required for track'),
  401: ingestError('Missing or unknown write key', 'unauthorized', 'Invalid write key'),
  403: ingestError('The source is disabled', 'forbidden', 'This source is disabled'),
  429: ingestError('Over the optional per-source rate limit; see `Retry-After`', 'rate-limited', 'Too many requests'),
  503: ingestError('Storage unavailable; nothing was stored, retry', 'unavailable', 'Events could not be accepted; retry later'),
};

function operationIdOf(path: string, target: IngestRoute['target']): string {
  const name = path.slice('/v1/'.length);
  // One-letter paths are analytics.js's short aliases of the full ones.
  return name.length === 1 ? `${target}Short` : name;
}

export function ingestOperationDoc(path: string, route: IngestRoute): OperationDoc {
  const body = BODIES[route.target];
  const operationId = operationIdOf(path, route.target);
  const isAlias = operationId.endsWith('Short');
  const isBatch = route.target === 'batch';
  return {
    operationId,
    summary: isAlias ? `${body.summary} (analytics.js short path)` : body.summary,
    description:
      (isBatch
        ? 'Stores every valid event and answers 200 even when some items are invalid; those are listed in `rejected`. '
        : `One ${route.target} event; the type comes from the path. `) +
      `The body is read as JSON whatever the Content-Type, may be gzip-compressed, and may not exceed ${route.maxBytes} ` +
      'bytes once decompressed. Duplicate `messageId`s within 24 h are acknowledged but not stored again. CORS is allowed.',
    tags: ['Tracking API'],
    // The write key may travel as Basic credentials or as `writeKey` in the body.
    security: [{ [WRITE_KEY_SCHEME]: [] }, {}],
    body: body.model,
    bodyExample: body.example,
    consumes: ['application/json', 'text/plain'],
    responses: {
      200: modelBody(IngestSuccess, {
        description: 'Stored durably',
        examples: [
          isBatch
            ? {
                success: true,
                rejected: [{ index: 1, messageId: 'm-9', errors: [{ type: 'input-validation', field: 'event', message: '"event" is required for track' }] }],
              }
            : { success: true },
        ],
      }),
      ...RESPONSES,
    },
  };
}
