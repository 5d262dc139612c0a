// Builds a source → webhook destination → subscription pipeline over the Public API of a test server.
import type { ApiClient } from './api-client.js';

export const WEBHOOK_METADATA_ID = '614a3c7d791c91c41bae7599';

export interface Pipeline {
  sourceId: string;
  writeKey: string;
  destinationId: string;
  subscriptionId: string;
}

async function json<T>(response: Response, expected: number): Promise<T> {
  const text = await response.text();
  if (response.status !== expected) throw new Error(`expected ${expected}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function webhookActionId(server: ApiClient, slug = 'send'): Promise<string> {
  const body = await json<{ data: { destinationMetadata: { actions: { id: string; slug: string }[] } } }>(
    await server.api(`/catalog/destinations/${WEBHOOK_METADATA_ID}`),
    200,
  );
  const action = body.data.destinationMetadata.actions.find((a) => a.slug === slug);
  if (!action) throw new Error(`webhook action ${slug} not found`);
  return action.id;
}

export async function createSource(server: ApiClient, slug: string): Promise<{ sourceId: string; writeKey: string }> {
  const body = await json<{ data: { source: { id: string; writeKeys: string[] } } }>(
    await server.api('/sources', { method: 'POST', json: { slug, enabled: true, metadataId: 'U9mT0bPcI6' } }),
    201,
  );
  return { sourceId: body.data.source.id, writeKey: body.data.source.writeKeys[0]! };
}

export async function createWebhookPipeline(
  server: ApiClient,
  options: { slug: string; sinkUrl: string; trigger?: string; mapping?: Record<string, unknown>; source?: { sourceId: string; writeKey: string } },
): Promise<Pipeline> {
  const source = options.source ?? (await createSource(server, options.slug));
  const destination = await json<{ data: { destination: { id: string } } }>(
    await server.api('/destinations', {
      method: 'POST',
      json: { sourceId: source.sourceId, metadataId: WEBHOOK_METADATA_ID, name: options.slug, settings: {} },
    }),
    200,
  );
  const subscription = await json<{ data: { destinationSubscription: { id: string } } }>(
    await server.api(`/destinations/${destination.data.destination.id}/subscriptions`, {
      method: 'POST',
      json: {
        name: `${options.slug} hook`,
        actionId: await webhookActionId(server),
        trigger: options.trigger ?? 'type = "track"',
        enabled: true,
        settings: options.mapping ?? { url: options.sinkUrl, method: 'POST', data: { '@path': '$.' } },
      },
    }),
    200,
  );
  return {
    ...source,
    destinationId: destination.data.destination.id,
    subscriptionId: subscription.data.destinationSubscription.id,
  };
}
