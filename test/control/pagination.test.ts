// Pagination over raw HTTP (public-api.md §1.6): the four query encodings, count and cursor validation,
// legacy offset cursors, walking both ways, and keyset stability while rows are inserted and deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { call, createDestination, createSource, expectError, expectOk, type Json } from '../support/control-api.js';
import { startTestServer, type TestServer } from '../support/server.js';

const b64url = (text: string) => Buffer.from(text).toString('base64url');
const enc = encodeURIComponent;

describe.each(BACKENDS)('pagination [%s]', (backend) => {
  let server: TestServer;
  let source: Json;
  let other: Json;
  let ids: string[];
  const list = (query: string, path = `/sources/${source.id}/connected-destinations`) => call(server, `${path}?${query}`);

  beforeAll(async () => {
    server = await startTestServer(backend);
    source = await createSource(server);
    other = await createSource(server);
    ids = [];
    for (let i = 0; i < 7; i++) ids.push((await createDestination(server, source.id, { name: `d${i}` })).id);
    await createDestination(server, other.id);
    await createDestination(server, other.id);
  });
  afterAll(() => server.destroy());

  const idsOf = (data: Json) => data.destinations.map((d: Json) => d.id);

  it('answers the same page for all four encodings', async () => {
    const first = expectOk(await list('pagination.count=3'));
    const cursor = first.pagination.next as string;
    expect(idsOf(first)).toEqual(ids.slice(0, 3));
    const variants = [
      `pagination.count=3&pagination.cursor=${enc(cursor)}`,
      `pagination[count]=3&pagination[cursor]=${enc(cursor)}`,
      `pagination%5Bcursor%5D=${enc(cursor)}&pagination%5Bcount%5D=3`,
      `pagination=${enc(JSON.stringify({ cursor, count: 3 }).replace(/,/g, ', ').replace(/":/g, '": '))}`,
      `pagination=${enc(JSON.stringify({ cursor, count: '3' }))}`,
    ];
    const pages = await Promise.all(variants.map(async (q) => expectOk(await list(q))));
    for (const page of pages) expect(page).toEqual(pages[0]);
    expect(idsOf(pages[0])).toEqual(ids.slice(3, 6));
    expect(pages[0].pagination.current).toBe(cursor);
  });

  it('accepts agreeing duplicates and rejects conflicting encodings with 422 pagination', async () => {
    expect(idsOf(expectOk(await list('pagination.count=2&pagination[count]=2&pagination={"count":2}')))).toHaveLength(2);
    for (const query of [
      'pagination.count=2&pagination[count]=3',
      'pagination.count=2&pagination=%7B%22count%22%3A3%7D',
      'pagination%5Bcursor%5D=MA%3D%3D&pagination.cursor=Mg%3D%3D',
    ]) {
      expectError(await list(query), 422, 'input-validation', ['pagination']);
    }
    expectError(await list('pagination.count=2&pagination.count=3'), 422, 'input-validation');
    for (const query of ['pagination=notjson', 'pagination=%5B1%5D', 'pagination=5']) {
      expectError(await list(query), 422, 'input-validation', ['pagination']);
    }
  });

  it('rejects a count outside 1..1000 or not an integer with 422 pagination.count', async () => {
    const bad = ['0', '1001', 'abc', '1.5', '-1', '', '1e2'];
    for (const count of bad) {
      expectError(await list(`pagination.count=${count}`), 422, 'input-validation', ['pagination.count']);
      expectError(await list(`pagination[count]=${count}`), 422, 'input-validation', ['pagination.count']);
    }
    for (const count of [0, 1001, 'abc', 1.5, null, true, [1]]) {
      expectError(await list(`pagination=${enc(JSON.stringify({ count }))}`), 422, 'input-validation', ['pagination.count']);
    }
    expect(idsOf(expectOk(await list('pagination.count=1000')))).toEqual(ids);
    expect(idsOf(expectOk(await list('pagination.count=1')))).toEqual(ids.slice(0, 1));
  });

  it('omits next on the last page and previous on the first page', async () => {
    const all = expectOk(await list(''));
    expect(all.pagination).toEqual({ current: 'MA==', totalEntries: 7 });
    const first = expectOk(await list('pagination.count=3'));
    expect(Object.keys(first.pagination).sort()).toEqual(['current', 'next', 'totalEntries']);
    const second = expectOk(await list(`pagination.count=3&pagination.cursor=${enc(first.pagination.next)}`));
    expect(Object.keys(second.pagination).sort()).toEqual(['current', 'next', 'previous', 'totalEntries']);
    const last = expectOk(await list(`pagination.count=3&pagination.cursor=${enc(second.pagination.next)}`));
    expect(idsOf(last)).toEqual(ids.slice(6));
    expect(Object.keys(last.pagination).sort()).toEqual(['current', 'previous', 'totalEntries']);
    expect(last.pagination.totalEntries).toBe(7);
    const empty = expectOk(await list('', `/sources/${(await createSource(server)).id}/connected-destinations`));
    expect(empty).toEqual({ destinations: [], pagination: { current: 'MA==', totalEntries: 0 } });
  });

  it('accepts legacy offset cursors', async () => {
    const start = expectOk(await list('pagination.count=3&pagination.cursor=MA%3D%3D'));
    expect(idsOf(start)).toEqual(ids.slice(0, 3));
    expect(start.pagination.current).toBe('MA==');
    expect(start.pagination).not.toHaveProperty('previous');
    const two = expectOk(await list(`pagination.count=3&pagination.cursor=${enc(Buffer.from('2').toString('base64'))}`));
    expect(idsOf(two)).toEqual(ids.slice(2, 5));
    expect(two.pagination.current).toBe('Mg==');
    const rest = expectOk(await list(`pagination.count=3&pagination.cursor=${enc(two.pagination.next)}`));
    expect(idsOf(rest)).toEqual(ids.slice(5, 7));
    expect(idsOf(expectOk(await list('pagination.count=3&pagination.cursor=Mg')))).toEqual(ids.slice(2, 5));
  });

  it('walks backward with previous over the same pages', async () => {
    const forward: Json[] = [expectOk(await list('pagination.count=2'))];
    while (forward[forward.length - 1].pagination.next) {
      forward.push(expectOk(await list(`pagination.count=2&pagination.cursor=${enc(forward[forward.length - 1].pagination.next)}`)));
    }
    expect(forward.map(idsOf)).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4, 6), ids.slice(6)]);
    const backward: Json[] = [forward[forward.length - 1]];
    while (backward[backward.length - 1].pagination.previous) {
      backward.push(expectOk(await list(`pagination.count=2&pagination.cursor=${enc(backward[backward.length - 1].pagination.previous)}`)));
    }
    expect(backward.map(idsOf)).toEqual(forward.map(idsOf).reverse());
    expect(backward[backward.length - 1].pagination.next).toBe(forward[0].pagination.next);
  });

  it('rejects undecodable cursors and cursors of another list or parent with 422 pagination.cursor', async () => {
    const sourcesCursor = expectOk(await call(server, '/sources?pagination.count=1')).pagination.next;
    const otherCursor = expectOk(await list('pagination.count=1', `/sources/${other.id}/connected-destinations`)).pagination.next;
    const allCursor = expectOk(await call(server, '/destinations?pagination.count=1')).pagination.next;
    const first = expectOk(await list('pagination.count=1')).pagination.next as string;
    const payload = JSON.parse(Buffer.from(first, 'base64url').toString()) as Json;
    const crafted = [
      { ...payload, v: 2 },
      { ...payload, d: 'x' },
      { ...payload, k: ['not a time', payload.k[1]] },
      { ...payload, k: [1e300, payload.k[1]] },
      { ...payload, k: [1.5, payload.k[1]] },
      { ...payload, k: [payload.k[0], 5] },
      { ...payload, k: [payload.k[0]] },
      { ...payload, k: null },
    ].map((p) => b64url(JSON.stringify(p)));
    const garbage = ['!!!', 'abc', 'zzzz', '%%', b64url('null'), b64url('[1]'), b64url('{"v":1}'), b64url('-1'), b64url('1e3'), 'MA==x'];
    for (const cursor of [sourcesCursor, otherCursor, allCursor, ...crafted, ...garbage]) {
      expectError(await list(`pagination.count=1&pagination.cursor=${enc(cursor)}`), 422, 'input-validation', ['pagination.cursor']);
    }
    expectError(await list(`pagination=${enc(JSON.stringify({ count: 1, cursor: 5 }))}`), 422, 'input-validation', ['pagination.cursor']);
  });

  it('validates pagination on every list', async () => {
    const destination = ids[0];
    for (const path of ['/sources', '/destinations', `/destinations/${destination}/subscriptions`, '/catalog/destinations', '/catalog/sources', '/audit-events', `/sources/${source.id}/connected-destinations`]) {
      expectError(await call(server, `${path}?pagination.count=0`), 422, 'input-validation', ['pagination.count']);
      expectError(await call(server, `${path}?pagination.cursor=!!`), 422, 'input-validation', ['pagination.cursor']);
      const page = expectOk(await call(server, `${path}?pagination[count]=1`));
      expect(page.pagination.current).toBe('MA==');
      expect(typeof page.pagination.totalEntries).toBe('number');
    }
  });
});

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const randomId = () => Array.from({ length: 22 }, () => BASE58[Math.floor(Math.random() * BASE58.length)]).join('');

describe.each(BACKENDS)('keyset walk over 2,500 destinations [%s]', (backend) => {
  let server: TestServer;
  let source: Json;
  let workspaceId: string;
  beforeAll(async () => {
    server = await startTestServer(backend);
    source = await createSource(server);
    workspaceId = source.workspaceId;
  });
  afterAll(() => server.destroy());

  /** Inserts rows straight into the table: the point is paging over HTTP, not creating them through it. */
  async function insertRows(createdAt: (i: number) => number, count: number, label: string): Promise<string[]> {
    const rows = Array.from({ length: count }, (_, i) => ({
      id: randomId(),
      workspace_id: workspaceId,
      source_id: source.id,
      metadata_id: '54521fd525e721e32a72ee91',
      name: `${label}-${i}`,
      enabled: 0,
      settings: '{"apiKey":"k"}',
      created_at: createdAt(i),
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await server.running.storage.db.insertInto('destinations').values(rows.slice(i, i + 500)).execute();
    }
    return rows.map((r) => r.id);
  }

  it('never repeats or skips a row while rows are inserted and deleted between pages', async () => {
    const base = Date.now() - 3_600_000;
    // Three rows share each creation time, so the id tie-breaker is exercised throughout.
    const originals = await insertRows((i) => base + Math.floor(i / 3), 2500, 'orig');
    const first = expectOk(await call(server, '/destinations'));
    expect(first.destinations).toHaveLength(200);
    expect(first.pagination.totalEntries).toBe(2500);

    const seen: string[] = first.destinations.map((d: Json) => d.id);
    const behind: string[] = [];
    const ahead: string[] = [];
    const deletedAhead = new Set<string>();
    let page = first;
    let pageNumber = 0;
    while (page.pagination.next) {
      pageNumber++;
      const lastSeen = seen[seen.length - 1]!;
      const lastSeenAt = base + Math.floor(originals.indexOf(lastSeen) / 3);
      // Behind the cursor: before everything, and at the cursor's own time with a smaller id.
      behind.push(...(await insertRows(() => base - 1000, 1, 'behind')));
      behind.push(...(await insertRows(() => lastSeenAt - 1, 1, 'behind')));
      // Ahead of the cursor: newest rows, which a walk must show once.
      ahead.push(...(await insertRows(() => Date.now(), 1, 'ahead')));
      if (pageNumber % 3 === 0) {
        // Delete the row the cursor points at and a row not yet reached.
        const victim = originals[originals.indexOf(lastSeen) + 50];
        const doomed = [lastSeen, ...(victim ? [victim] : [])];
        if (victim) deletedAhead.add(victim);
        await server.running.storage.db.deleteFrom('destinations').where('id', 'in', doomed).execute();
      }
      const cursor = encodeURIComponent(page.pagination.next);
      page = expectOk(await call(server, `/destinations?pagination.count=200&pagination.cursor=${cursor}`));
      seen.push(...page.destinations.map((d: Json) => d.id));
    }

    expect(new Set(seen).size).toBe(seen.length);
    const seenSet = new Set(seen);
    const expectedOriginals = originals.filter((id) => !deletedAhead.has(id));
    expect(expectedOriginals.filter((id) => !seenSet.has(id))).toEqual([]);
    expect([...deletedAhead].filter((id) => seenSet.has(id))).toEqual([]);
    expect(behind.filter((id) => seenSet.has(id))).toEqual([]);
    expect(ahead.filter((id) => !seenSet.has(id))).toEqual([]);
    // Originals come back in creation order (ties are broken by id in the database's collation).
    const times = seen.filter((id) => originals.includes(id)).map((id) => base + Math.floor(originals.indexOf(id) / 3));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('walks the final state backward over exactly the forward pages', async () => {
    const forward: Json[] = [expectOk(await call(server, '/destinations?pagination.count=200'))];
    while (forward[forward.length - 1].pagination.next) {
      const cursor = encodeURIComponent(forward[forward.length - 1].pagination.next);
      forward.push(expectOk(await call(server, `/destinations?pagination.count=200&pagination.cursor=${cursor}`)));
    }
    const total = forward[0].pagination.totalEntries as number;
    expect(forward.flatMap((p) => p.destinations)).toHaveLength(total);
    const backward: Json[] = [forward[forward.length - 1]];
    while (backward[backward.length - 1].pagination.previous) {
      const cursor = encodeURIComponent(backward[backward.length - 1].pagination.previous);
      backward.push(expectOk(await call(server, `/destinations?pagination.count=200&pagination.cursor=${cursor}`)));
    }
    const ids = (p: Json) => p.destinations.map((d: Json) => d.id);
    expect(backward.map(ids)).toEqual(forward.map(ids).reverse());
  });
});
