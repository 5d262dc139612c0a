import http from 'node:http';
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGuardedAgents,
  createOutboundPolicy,
  guardedLookup,
  installOutboundGuard,
  OUTBOUND_ADDRESS_REFUSED,
  type Resolver,
} from '../src/actions/outbound-guard.js';
import { classifyError } from '../src/actions/outcome.js';
import { refuseNonLoopbackConnects, type ConnectRecorder } from './support/loopback-only.js';
import { startSink, type Sink } from './support/sink.js';

const defaults = createOutboundPolicy({ deny: [], allow: [] });
const refused = (policy = defaults) => (host: string) => policy.checkHost(host)?.code === OUTBOUND_ADDRESS_REFUSED;

/** A resolver answering from a table, so no test sends a DNS query. */
function fakeResolver(table: Record<string, string[]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve: Resolver = (hostname, _options, callback) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) return process.nextTick(() => callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []));
    const entries: LookupAddress[] = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    process.nextTick(() => callback(null, entries));
  };
  return Object.assign(resolve, { calls });
}

describe('outbound address policy', () => {
  it('refuses link-local and cloud metadata addresses by default', () => {
    const isRefused = refused();
    for (const host of [
      '169.254.169.254',
      '169.254.0.1',
      '169.254.255.255',
      '::ffff:169.254.169.254',
      '[::ffff:a9fe:a9fe]',
      'fe80::1',
      '[fe80::1]',
      'fe80::1%eth0',
      'febf:ffff::1',
      '100.100.100.200',
      'fd00:ec2::254',
      'fd00:ec2:0:0::254',
      'metadata.google.internal',
      'METADATA.google.internal.',
    ]) {
      expect(isRefused(host), host).toBe(true);
    }
    for (const host of ['127.0.0.1', '::1', 'localhost', '10.0.0.1', '169.253.255.255', '169.255.0.1', 'fec0::1', 'fe7f::1', '100.100.100.201', 'fd00:ec2::253', 'example.com', 'google.internal']) {
      expect(isRefused(host), host).toBe(false);
    }
  });

  it('adds configured CIDR blocks (IPv4 and IPv6), addresses and host names to the deny list', () => {
    const isRefused = refused(createOutboundPolicy({ deny: ['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', 'internal.example', '*.corp.example'], allow: [] }));
    for (const host of ['10.0.0.1', '10.255.255.255', '::ffff:10.1.2.3', '192.168.1.7', '2001:db8::1', '2001:db8:ffff::9', 'internal.example', 'a.corp.example', 'b.a.corp.example']) {
      expect(isRefused(host), host).toBe(true);
    }
    for (const host of ['11.0.0.1', '9.255.255.255', '192.168.1.8', '2001:db9::1', '2001:db7:ffff::1', 'x.internal.example', 'corp.example', '127.0.0.1']) {
      expect(isRefused(host), host).toBe(false);
    }
  });

  it('lets the allow list override default and configured deny rules', () => {
    const policy = createOutboundPolicy({
      deny: ['10.0.0.0/8'],
      allow: ['169.254.169.254', '10.1.0.0/16', 'fe80::/16', 'metadata.google.internal'],
    });
    const isRefused = refused(policy);
    expect(isRefused('169.254.169.254')).toBe(false);
    expect(isRefused('169.254.169.253')).toBe(true);
    expect(isRefused('10.1.2.3')).toBe(false);
    expect(isRefused('10.2.0.1')).toBe(true);
    expect(isRefused('fe80::1')).toBe(false);
    expect(isRefused('fe81::1')).toBe(true);
    expect(isRefused('metadata.google.internal')).toBe(false);
    // An allowed name may resolve to a denied range.
    expect(policy.checkAddress('169.254.1.1', 'metadata.google.internal')).toBeUndefined();
    expect(policy.checkAddress('169.254.1.1', 'other.example')?.rule).toBe('169.254.0.0/16');
  });

  it('names the matching rule in the refusal', () => {
    const refusal = defaults.checkHost('169.254.169.254');
    expect(refusal?.rule).toBe('169.254.0.0/16');
    expect(refusal?.message).toContain('169.254.169.254');
    expect(defaults.checkHost('fd00:ec2::254')?.rule).toBe('fd00:ec2::254/128');
    expect(defaults.checkHost('metadata.google.internal')?.rule).toBe('metadata.google.internal');
  });

  it('rejects malformed rules at start-up', () => {
    for (const rule of ['10.0.0.0/33', 'fe80::/129', '10.0.0.0/x', '1.2.3.4/8/9', 'http://example.com', 'a b']) {
      expect(() => createOutboundPolicy({ deny: [rule], allow: [] }), rule).toThrow(/Invalid outbound deny rule/);
    }
    expect(() => createOutboundPolicy({ deny: [], allow: ['300.1.1.1/8'] })).toThrow(/Invalid outbound allow rule/);
  });

  it('classifies a refusal wrapped by node-fetch as a discard', () => {
    const cause = defaults.checkHost('169.254.169.254')!;
    const fetchError = Object.assign(new Error(`request to http://169.254.169.254/ failed, reason: ${cause.message}`), {
      name: 'FetchError',
      code: cause.code,
      errno: cause.code,
    });
    expect(classifyError(fetchError)).toMatchObject({ kind: 'discard', reason: 'destination-address-refused' });
  });
});

describe('guarded DNS lookup', () => {
  const lookupWith = (resolver: Resolver, hostname: string, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
      guardedLookup(defaults, resolver)(hostname, { all }, (err, address, family) => resolve({ err, address, family })),
    );

  it('refuses a name when any address it resolves to is refused', async () => {
    const resolver = fakeResolver({ 'rebind.example': ['93.184.216.34', '169.254.169.254'], 'v6.example': ['fe80::abcd'] });
    expect((await lookupWith(resolver, 'rebind.example', false)).err?.code).toBe(OUTBOUND_ADDRESS_REFUSED);
    expect((await lookupWith(resolver, 'v6.example', true)).err?.code).toBe(OUTBOUND_ADDRESS_REFUSED);
  });

  it('passes allowed answers through in both callback forms', async () => {
    const resolver = fakeResolver({ 'ok.example': ['93.184.216.34', '2606:2800::1'] });
    expect(await lookupWith(resolver, 'ok.example', false)).toEqual({ err: null, address: '93.184.216.34', family: 4 });
    const all = await lookupWith(resolver, 'ok.example', true);
    expect(all.address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800::1', family: 6 },
    ]);
  });

  it('never resolves a denied name', async () => {
    const resolver = fakeResolver({});
    expect((await lookupWith(resolver, 'metadata.google.internal', false)).err?.code).toBe(OUTBOUND_ADDRESS_REFUSED);
    expect(resolver.calls).toEqual([]);
  });
});

describe('guarded agents', () => {
  let sink: Sink;
  let connects: ConnectRecorder;
  beforeAll(async () => {
    sink = await startSink();
    connects = refuseNonLoopbackConnects();
  });
  afterAll(async () => {
    connects.restore();
    await sink.close();
  });

  const get = (url: string, agent?: http.Agent) =>
    new Promise<{ status?: number; error?: NodeJS.ErrnoException }>((resolve) => {
      const request = http.get(url, agent ? { agent } : {}, (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode! }));
      });
      request.on('error', (error: NodeJS.ErrnoException) => resolve({ error }));
    });

  it('refuses IP literals and resolved names before a socket connects, and still reaches allowed hosts', async () => {
    const port = new URL(sink.url).port;
    const resolver = fakeResolver({ 'sink.test': ['127.0.0.1'], 'evil.test': ['169.254.169.254'] });
    const agents = createGuardedAgents(defaults, resolver);
    try {
      for (const url of ['http://169.254.169.254/latest/meta-data', 'http://[fe80::1]/', 'http://100.100.100.200/', `http://evil.test:${port}/`, 'http://metadata.google.internal/']) {
        const result = await get(url, agents.http);
        expect(result.error?.code, url).toBe(OUTBOUND_ADDRESS_REFUSED);
      }
      expect(resolver.calls).toEqual(['evil.test']);
      expect(await get(`${sink.url}/direct`, agents.http)).toEqual({ status: 200 });
      expect(await get(`http://sink.test:${port}/by-name`, agents.http)).toEqual({ status: 200 });
      expect(sink.requests.map((r) => r.url)).toEqual(['/direct', '/by-name']);
    } finally {
      agents.http.destroy();
      agents.https.destroy();
    }
    expect(connects.blocked).toEqual([]);
  });

  it('guards requests that pass no agent once installed, and restores the previous agents', async () => {
    const original = http.globalAgent;
    const restore = installOutboundGuard({ deny: ['10.0.0.0/8'], allow: [] });
    try {
      expect(http.globalAgent).not.toBe(original);
      expect((await get('http://169.254.169.254/')).error?.code).toBe(OUTBOUND_ADDRESS_REFUSED);
      expect((await get('http://10.20.30.40/')).error?.code).toBe(OUTBOUND_ADDRESS_REFUSED);
      expect((await get(`${sink.url}/global`)).status).toBe(200);
    } finally {
      restore();
    }
    expect(http.globalAgent).toBe(original);
    expect(connects.blocked).toEqual([]);
  });
});
