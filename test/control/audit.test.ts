// The audit trail over raw HTTP (public-api.md §5, §6.4): event types, fields, filters, order, paging.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import {
  auditEvents,
  call,
  createDestination,
  createSource,
  expectError,
  expectOk,
  ISO_MS,
  MASK,
  walkForward,
  WEBHOOK,
  type Json,
} from '../support/control-api.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(BACKENDS)('audit events [%s]', (backend) => {
  let server: TestServer;
  let tokenId: string;
  beforeAll(async () => {
    server = await startTestServer(backend);
    tokenId = (await server.running.controlPlane.tokens.list())[0]!.id;
  });
  afterAll(() => server.destroy());

  const of = async (resourceId: string) => (await auditEvents(server, `resourceId=${resourceId}`)).map((e) => e.type).reverse();
  const patch = (path: string, json: unknown) => call(server, path, { method: 'PATCH', json });

  it('writes the destination events of §5 with the display name, and none when nothing changed', async () => {
    const source = await createSource(server);
    const d = await createDestination(server, source.id, { settings: { apiKey: 'k' } });
    const path = `/destinations/${d.id}`;
    expectOk(await patch(path, {}));
    expectOk(await patch(path, { enabled: true, name: '', settings: { apiKey: MASK } }));
    expect(await of(d.id)).toEqual(['Integration Created']);
    expectOk(await patch(path, { enabled: false }));
    expectOk(await patch(path, { enabled: true }));
    expectOk(await patch(path, { name: 'renamed' }));
    expectOk(await patch(path, { settings: { apiKey: 'k2' } }));
    expectOk(await patch(path, { enabled: false, name: 'both' }));
    expectOk(await patch(path, { settings: { unknown: null } }));
    // Rejected changes leave no trace.
    expectError(await patch(path, { enabled: 'no' }), 422, 'input-validation');
    expectError(await patch(path, { enabled: true, settings: { apiKey: null } }), 422, 'input-validation');
    expectOk(await call(server, path, { method: 'DELETE' }));
    expect(await of(d.id)).toEqual([
      'Integration Created',
      'Integration Disabled',
      'Integration Enabled',
      'Integration Modified',
      'Integration Modified',
      'Integration Disabled',
      'Integration Modified',
      'Integration Deleted',
    ]);
    const events = await auditEvents(server, `resourceId=${d.id}`);
    expect(events.map((e) => e.resourceName)).toEqual(['both', 'both', 'both', 'renamed', 'renamed', 'Amplitude', 'Amplitude', 'Amplitude']);
    expect(events.every((e) => e.resourceType === 'destination')).toBe(true);
  });

  it('writes the source events of §5, including write keys and cascaded destinations', async () => {
    const source = await createSource(server, { slug: 'audited' });
    const path = `/sources/${source.id}`;
    expectOk(await patch(path, {}));
    expectOk(await patch(path, { enabled: true, slug: 'audited', name: 'audited' }));
    expectOk(await patch(path, { enabled: false }));
    expectOk(await patch(path, { enabled: true }));
    expectOk(await patch(path, { name: 'Audited Source' }));
    expectOk(await patch(path, { slug: 'audited-2' }));
    expectOk(await patch(path, { settings: { apiKey: 's' } }));
    expectOk(await patch(path, { settings: { apiKey: MASK } }));
    const added = expectOk(await call(server, `${path}/writekey`, { method: 'POST' })).source;
    expectOk(await call(server, `${path}/writekey/${added.writeKeys[0]}`, { method: 'DELETE' }));
    const hook = await createDestination(server, source.id, { metadataId: WEBHOOK, settings: {}, name: 'cascaded' });
    expectOk(await call(server, path, { method: 'DELETE' }));
    expect(await of(source.id)).toEqual([
      'Source Created',
      'Source Disabled',
      'Source Enabled',
      'Source Modified',
      'Source Modified',
      'Source Settings Modified',
      'Source Modified',
      'Source Modified',
      'Source Deleted',
    ]);
    const names = (await auditEvents(server, `resourceId=${source.id}`)).map((e) => e.resourceName);
    expect(names[names.length - 1]).toBe('audited');
    expect(names[0]).toBe('Audited Source');
    expect(await of(hook.id)).toEqual(['Integration Created', 'Integration Deleted']);
  });

  it('shapes events as AuditEventV1 without actorEmail, newest first', async () => {
    const events = await auditEvents(server);
    expect(events.length).toBeGreaterThan(10);
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(['actor', 'id', 'resourceId', 'resourceName', 'resourceType', 'timestamp', 'type']);
      expect(event.id).toMatch(/^events\/\d+$/);
      expect(event.timestamp).toMatch(ISO_MS);
      expect(event.actor).toBe(`public-api-token/${tokenId}`);
    }
    const seqs = events.map((e) => Number(e.id.slice('events/'.length)));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const times = events.map((e) => Date.parse(e.timestamp));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('filters by resourceType in any case, singular or plural', async () => {
    const all = await auditEvents(server);
    const byType = (type: string) => all.filter((e) => e.resourceType === type).map((e) => e.id);
    for (const [query, type] of [
      ['destination', 'destination'],
      ['Destinations', 'destination'],
      ['DESTINATION', 'destination'],
      ['source', 'source'],
      ['Sources', 'source'],
      ['subscription', 'subscription'],
      ['SUBSCRIPTIONS', 'subscription'],
    ] as const) {
      const events = await auditEvents(server, `resourceType=${query}`);
      expect(events.map((e) => e.id)).toEqual(byType(type));
    }
    expectError(await call(server, '/audit-events?resourceType=workspace'), 422, 'input-validation', ['resourceType']);
  });

  it('filters by resourceId exactly', async () => {
    const source = await createSource(server);
    const events = await auditEvents(server, `resourceId=${source.id}`);
    expect(events.map((e) => e.type)).toEqual(['Source Created']);
    expect(await auditEvents(server, `resourceId=${source.id.slice(0, 10)}`)).toEqual([]);
    expect(await auditEvents(server, `resourceId=${source.id}&resourceType=destination`)).toEqual([]);
  });

  it('applies startTime inclusive and endTime exclusive', async () => {
    const marks: Json[] = [];
    for (let i = 0; i < 3; i++) {
      const source = await createSource(server);
      marks.push((await auditEvents(server, `resourceId=${source.id}`))[0]);
      await sleep(15);
    }
    const [a, b, c] = marks as [Json, Json, Json];
    const ids = (events: Json[]) => events.map((e) => e.id).filter((id) => [a.id, b.id, c.id].includes(id));
    expect(ids(await auditEvents(server, `startTime=${b.timestamp}`))).toEqual([c.id, b.id]);
    expect(ids(await auditEvents(server, `endTime=${b.timestamp}`))).toEqual([a.id]);
    expect(ids(await auditEvents(server, `startTime=${a.timestamp}&endTime=${c.timestamp}`))).toEqual([b.id, a.id]);
    // Offsets and fractions of other lengths are accepted.
    const plusTwo = new Date(Date.parse(b.timestamp) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect(ids(await auditEvents(server, `startTime=${encodeURIComponent(plusTwo)}`))).toEqual([c.id, b.id]);
  });

  it('rejects malformed times and an empty window with 422 on the field', async () => {
    for (const bad of ['yesterday', '2025-11-26', '1764158400', '2025-11-26T12:00:00', '2025-13-40T99:00:00Z']) {
      expectError(await call(server, `/audit-events?startTime=${bad}`), 422, 'input-validation', ['startTime']);
      expectError(await call(server, `/audit-events?endTime=${bad}`), 422, 'input-validation', ['endTime']);
    }
    const t = '2025-11-26T12:00:00.000Z';
    expectError(await call(server, `/audit-events?startTime=${t}&endTime=${t}`), 422, 'input-validation', ['startTime']);
    expectError(await call(server, `/audit-events?startTime=2025-11-27T00:00:00Z&endTime=${t}`), 422, 'input-validation', ['startTime']);
    expectError(await call(server, '/audit-events?startTime=a&startTime=b'), 422, 'input-validation');
  });

  it('pins the end of the window in the cursor so a walk is not shifted by new events', async () => {
    const before = await auditEvents(server);
    const first = expectOk(await call(server, '/audit-events?pagination.count=3'));
    expect(first.pagination.current).toBe('MA==');
    await createSource(server);
    await createSource(server);
    const pages = [first];
    while (pages[pages.length - 1].pagination.next) {
      const cursor = encodeURIComponent(pages[pages.length - 1].pagination.next);
      pages.push(expectOk(await call(server, `/audit-events?pagination.count=3&pagination.cursor=${cursor}`)));
    }
    expect(pages.flatMap((p) => p.events.map((e: Json) => e.id))).toEqual(before.map((e) => e.id));
    expect(pages.every((p) => p.pagination.totalEntries === before.length)).toBe(true);
    const walked = await walkForward(server, '/audit-events', 4);
    expect(walked.flatMap((p) => p.events).length).toBe(before.length + 2);
    // Walking back from the last page retraces the same pages.
    const last = pages[pages.length - 1];
    const back = expectOk(await call(server, `/audit-events?pagination.count=3&pagination.cursor=${encodeURIComponent(last.pagination.previous)}`));
    expect(back.events).toEqual(pages[pages.length - 2].events);
  });
});
