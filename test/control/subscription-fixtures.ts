// Shared set-up for the destination subscription suites: a source, destinations of known catalog entries,
// and the raw HTTP calls the suites repeat.
import { expect } from 'vitest';
import type { ApiErrorEntry as ErrorEntry } from '../../src/client/errors.js';
import type { Subscription as WireSubscription } from '../../src/client/types.js';
import type { TestServer } from '../support/server.js';

export const WEBHOOK_METADATA_ID = '614a3c7d791c91c41bae7599';
export const CLASSIC_AMPLITUDE_METADATA_ID = '54521fd525e721e32a72ee91';
export const VENDOR_JSON = 'application/vnd.segment.v1alpha+json';
const HTTP_API_SOURCE = 'iUM16Md8P2';

// The wire shapes, as the typed client declares them.
export type { ErrorEntry, WireSubscription };

/** The action id of a catalog entry's action, looked up by its slug. */
export function actionIdOf(server: TestServer, metadataId: string, slug: string): string {
  const action = server.running.controlPlane.catalog.get(metadataId)?.metadata.actions.find((a) => a.slug === slug);
  if (!action) throw new Error(`catalog entry ${metadataId} has no action ${slug}`);
  return action.id;
}

export function webhookSendActionId(server: TestServer): string {
  return actionIdOf(server, WEBHOOK_METADATA_ID, 'send');
}

let sourceCounter = 0;

export async function createSource(server: TestServer, token?: string): Promise<string> {
  sourceCounter += 1;
  const response = await server.api('/sources', {
    method: 'POST',
    json: { slug: `subs-src-${Date.now().toString(36)}-${sourceCounter}`, enabled: true, metadataId: HTTP_API_SOURCE },
    ...(token ? { token } : {}),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { data: { source: { id: string } } }).data.source.id;
}

/** A disabled destination, so entries with required options need no settings. */
export async function createDestination(server: TestServer, sourceId: string, metadataId = WEBHOOK_METADATA_ID, token?: string) {
  const response = await server.api('/destinations', {
    method: 'POST',
    json: { sourceId, metadataId, settings: {}, enabled: false, name: 'subscription test' },
    ...(token ? { token } : {}),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { destination: { id: string } } }).data.destination.id;
}

export function subscriptionBody(actionId: string, overrides: Record<string, unknown> = {}) {
  return {
    name: 'Orders to hook',
    actionId,
    trigger: 'type = "track" and event = "Order Completed"',
    enabled: true,
    settings: { url: 'https://example.org/hook', data: { '@path': '$.properties' } },
    ...overrides,
  };
}

export async function createSubscription(
  server: TestServer,
  destinationId: string,
  body: Record<string, unknown>,
  token?: string,
): Promise<WireSubscription> {
  const response = await server.api(`/destinations/${destinationId}/subscriptions`, {
    method: 'POST',
    json: body,
    ...(token ? { token } : {}),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { data: { destinationSubscription: WireSubscription } }).data.destinationSubscription;
}

export async function errorsOf(response: Response): Promise<ErrorEntry[]> {
  return ((await response.json()) as { errors: ErrorEntry[] }).errors;
}

/** A fresh owner token in the test server's workspace: its own rate-limit buckets. */
export async function freshToken(server: TestServer): Promise<string> {
  const workspaceId = (await server.running.controlPlane.workspaces.list())[0]!.id;
  return (await server.running.controlPlane.tokens.issue(workspaceId, { label: 'suite' })).token;
}
