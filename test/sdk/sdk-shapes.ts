// Shape checks for the SDK models: every attribute the 47.0.0 model marks required is present with its
// wire type (the SDK itself never checks, so a missing key would only surface as `undefined` downstream).
import { expect } from 'vitest';
import type { PublicAPI } from './sdk-client.js';
import { BASE58_ID, WRITE_KEY } from './sdk-client.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function expectPagination(pagination: PublicAPI.PaginationOutput | undefined, totalEntries?: number): void {
  expect(pagination).toBeDefined();
  expect(typeof pagination?.current).toBe('string');
  expect(typeof pagination?.totalEntries).toBe('number');
  if (totalEntries !== undefined) expect(pagination?.totalEntries).toBe(totalEntries);
  for (const key of ['next', 'previous'] as const) {
    // Absent, never null: clients stop walking when `next` is missing.
    if (pagination?.[key] !== undefined) expect(typeof pagination[key]).toBe('string');
    expect(pagination?.[key]).not.toBeNull();
  }
}

export function expectSourceMetadata(metadata: PublicAPI.SourceMetadataV1): void {
  expect(metadata).toEqual({
    id: expect.stringMatching(/^[A-Za-z0-9]{10}$/),
    name: expect.any(String),
    slug: expect.any(String),
    description: expect.any(String),
    logos: expect.objectContaining({ default: expect.any(String) }),
    options: expect.any(Array),
    categories: expect.arrayContaining([expect.any(String)]),
    isCloudEventSource: false,
  });
}

export function expectSource(source: PublicAPI.SourceV1 | PublicAPI.SourceAlpha, workspaceId: string): void {
  expect(source.id).toMatch(BASE58_ID);
  expect(source.slug).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
  expect(typeof source.name).toBe('string');
  expect(source.workspaceId).toBe(workspaceId);
  expect(typeof source.enabled).toBe('boolean');
  expect(source.writeKeys.length).toBeGreaterThan(0);
  for (const key of source.writeKeys) expect(key).toMatch(WRITE_KEY);
  expect(source.settings).toEqual(expect.any(Object));
  expect(source.labels).toEqual([]);
  expectSourceMetadata(source.metadata);
}

function expectAction(action: PublicAPI.DestinationMetadataActionV1): void {
  expect(action.id).toMatch(BASE58_ID);
  expect(typeof action.slug).toBe('string');
  expect(typeof action.name).toBe('string');
  expect(typeof action.description).toBe('string');
  expect(['CLOUD', 'MOBILE', 'WEB']).toContain(action.platform);
  expect(typeof action.hidden).toBe('boolean');
  expect(action.defaultTrigger === null || typeof action.defaultTrigger === 'string').toBe(true);
  expect(Array.isArray(action.fields)).toBe(true);
  for (const field of action.fields) {
    expect(field.id).toMatch(BASE58_ID);
    expect(typeof field.sortOrder).toBe('number');
    expect(typeof field.fieldKey).toBe('string');
    expect(typeof field.label).toBe('string');
    expect(typeof field.description).toBe('string');
    expect(['BOOLEAN', 'DATETIME', 'HIDDEN', 'INTEGER', 'NUMBER', 'OBJECT', 'PASSWORD', 'STRING', 'TEXT']).toContain(field.type);
    for (const flag of [field.required, field.multiple, field.dynamic, field.allowNull]) expect(typeof flag).toBe('boolean');
  }
}

export function expectDestinationMetadata(metadata: PublicAPI.DestinationMetadataV1): void {
  expect(metadata.id).toMatch(/^[0-9a-f]{24}$/);
  for (const key of ['name', 'slug', 'description', 'website'] as const) expect(typeof metadata[key]).toBe('string');
  expect(metadata.name.length).toBeGreaterThan(0);
  expect(typeof metadata.logos.default).toBe('string');
  expect(['DEPRECATED', 'PRIVATE_BETA', 'PRIVATE_BUILDING', 'PRIVATE_SUBMITTED', 'PUBLIC', 'PUBLIC_BETA', 'UNAVAILABLE']).toContain(metadata.status);
  expect(metadata.previousNames.every((name) => typeof name === 'string')).toBe(true);
  expect(metadata.categories.every((category) => typeof category === 'string')).toBe(true);
  for (const option of metadata.options) {
    expect(typeof option.name).toBe('string');
    expect(typeof option.type).toBe('string');
    expect(typeof option.required).toBe('boolean');
  }
  // Classic overlay entries (no runtime) list no components; registry entries list their server code.
  if (metadata.actions.length > 0) expect(metadata.components.length).toBeGreaterThan(0);
  for (const component of metadata.components) {
    expect(['ANDROID', 'BROWSER', 'IOS', 'SERVER']).toContain(component.type);
    expect(typeof component.code).toBe('string');
  }
  expect(['0', '1', 'MULTIPLE', 'NONE', 'SINGLE']).toContain(metadata.supportedFeatures.cloudModeInstances);
  expect(metadata.supportedMethods).toEqual(expect.any(Object));
  expect(metadata.supportedPlatforms).toEqual(expect.any(Object));
  metadata.actions.forEach(expectAction);
  const actionIds = new Set(metadata.actions.map((action) => action.id));
  for (const preset of metadata.presets) {
    expect(actionIds.has(preset.actionId)).toBe(true);
    expect(typeof preset.name).toBe('string');
    expect(typeof preset.trigger).toBe('string');
    expect(preset.fields).toEqual(expect.any(Object));
  }
}

export function expectDestination(destination: PublicAPI.DestinationV1, expected: Partial<PublicAPI.DestinationV1>): void {
  expect(destination.id).toMatch(BASE58_ID);
  expect(typeof destination.name).toBe('string');
  expect(typeof destination.enabled).toBe('boolean');
  expect(destination.sourceId).toMatch(BASE58_ID);
  expect(destination.settings).toEqual(expect.any(Object));
  expectDestinationMetadata(destination.metadata);
  expect(destination).toMatchObject(expected);
}

export function expectSubscription(subscription: PublicAPI.DestinationSubscription, expected: Partial<PublicAPI.DestinationSubscription>): void {
  expect(subscription.id).toMatch(BASE58_ID);
  for (const key of ['name', 'actionId', 'actionSlug', 'destinationId', 'trigger'] as const) {
    expect(typeof subscription[key]).toBe('string');
  }
  expect(typeof subscription.enabled).toBe('boolean');
  expect(subscription.settings).toEqual(expect.any(Object));
  expect(subscription).toMatchObject(expected);
}

export function expectAuditEvent(event: PublicAPI.AuditEventV1): void {
  expect(event.id).toMatch(/^events\/\d+$/);
  expect(event.timestamp).toMatch(ISO_MS);
  expect(event.actor).toMatch(/^public-api-token\/\S+$/);
  for (const key of ['type', 'resourceId', 'resourceType', 'resourceName'] as const) {
    expect(typeof event[key]).toBe('string');
    expect(event[key].length).toBeGreaterThan(0);
  }
  expect(event.actorEmail).toBeUndefined();
}
