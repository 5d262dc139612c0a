// SSRF guard for destination requests. actions-core fetches through node-fetch v2, which uses
// `http.globalAgent`/`https.globalAgent` whenever no agent is given, so replacing the global agents puts every
// destination request (redirects included) behind this policy. Addresses are checked after DNS resolution, so a
// public name pointing at a metadata address is refused too; IP literals skip DNS and are checked before the
// socket is created. Link-local and cloud metadata addresses are refused by default; the allow list overrides.
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';

export const OUTBOUND_ADDRESS_REFUSED = 'ERR_OUTBOUND_ADDRESS_REFUSED';

/** Link-local ranges (AWS, GCP, Azure, OpenStack metadata at 169.254.169.254) and the other clouds' metadata. */
export const DEFAULT_DENIED = Object.freeze([
  '169.254.0.0/16',
  'fe80::/10',
  // Alibaba Cloud metadata.
  '100.100.100.200/32',
  // AWS metadata over IPv6 (Nitro).
  'fd00:ec2::254/128',
  'metadata.google.internal',
]);

export class OutboundAddressRefusedError extends Error {
  readonly code = OUTBOUND_ADDRESS_REFUSED;
  constructor(
    readonly target: string,
    readonly rule: string,
  ) {
    super(`Outbound request to ${target} refused by the address policy (${rule})`);
    this.name = 'OutboundAddressRefusedError';
  }
}

export interface OutboundRules {
  /** CIDR blocks, single addresses or host names (`*.example.com` / `.example.com` match subdomains). */
  readonly deny: readonly string[];
  /** Same forms; a match here wins over any deny rule, including the defaults. */
  readonly allow: readonly string[];
}

export interface OutboundPolicy {
  /** The refusal for a host name or IP literal as it appears in a URL, before any DNS lookup. */
  checkHost(host: string): OutboundAddressRefusedError | undefined;
  /** The refusal for an address `host` resolved to. */
  checkAddress(address: string, host?: string): OutboundAddressRefusedError | undefined;
}

interface RuleSet {
  /** One BlockList per rule, so a refusal can name the rule; BlockList also matches IPv4-mapped IPv6 forms. */
  cidrs: { cidr: string; block: net.BlockList }[];
  exactHosts: Set<string>;
  hostSuffixes: string[];
}

function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** IP literal without brackets or IPv6 zone, or undefined when `value` is not an address. */
function ipLiteral(value: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const address = normalizeHost(value).replace(/%.*$/, '');
  const version = net.isIP(address);
  if (version === 0) return undefined;
  return { address, family: version === 4 ? 'ipv4' : 'ipv6' };
}

function parseRules(entries: readonly string[], kind: string): RuleSet {
  const set: RuleSet = { cidrs: [], exactHosts: new Set(), hostSuffixes: [] };
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    const [base = '', prefixText, ...extra] = entry.split('/');
    const ip = ipLiteral(base);
    if (ip) {
      const max = ip.family === 'ipv4' ? 32 : 128;
      const prefix = prefixText === undefined ? max : Number(prefixText);
      if (extra.length > 0 || !/^\d+$/.test(prefixText ?? String(max)) || prefix > max) {
        throw new Error(`Invalid outbound ${kind} rule "${entry}": expected an address or a CIDR block`);
      }
      const block = new net.BlockList();
      block.addSubnet(ip.address, prefix, ip.family);
      set.cidrs.push({ cidr: `${ip.address}/${prefix}`, block });
    } else if (prefixText === undefined && /^(\*\.|\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i.test(entry)) {
      const host = normalizeHost(entry);
      if (host.startsWith('*.') || host.startsWith('.')) set.hostSuffixes.push(host.slice(host.indexOf('.')));
      else set.exactHosts.add(host);
    } else {
      throw new Error(`Invalid outbound ${kind} rule "${entry}": expected an address, a CIDR block or a host name`);
    }
  }
  return set;
}

function matchingHostRule(rules: RuleSet, host: string): string | undefined {
  if (rules.exactHosts.has(host)) return host;
  const suffix = rules.hostSuffixes.find((s) => host.endsWith(s));
  return suffix === undefined ? undefined : `*${suffix}`;
}

function matchingAddressRule(rules: RuleSet, address: string): string | undefined {
  const ip = ipLiteral(address);
  if (!ip) return undefined;
  return rules.cidrs.find(({ block }) => block.check(ip.address, ip.family))?.cidr;
}

export function createOutboundPolicy(rules: OutboundRules): OutboundPolicy {
  const deny = parseRules([...DEFAULT_DENIED, ...rules.deny], 'deny');
  const allow = parseRules(rules.allow, 'allow');

  function checkAddress(address: string, host?: string): OutboundAddressRefusedError | undefined {
    if (host !== undefined && matchingHostRule(allow, normalizeHost(host))) return undefined;
    if (matchingAddressRule(allow, address)) return undefined;
    const rule = matchingAddressRule(deny, address);
    return rule === undefined ? undefined : new OutboundAddressRefusedError(host && host !== address ? `${host} (${address})` : address, rule);
  }

  function checkHost(rawHost: string): OutboundAddressRefusedError | undefined {
    const host = normalizeHost(rawHost);
    if (ipLiteral(host)) return checkAddress(host);
    if (matchingHostRule(allow, host)) return undefined;
    const rule = matchingHostRule(deny, host);
    return rule === undefined ? undefined : new OutboundAddressRefusedError(host, rule);
  }

  return { checkHost, checkAddress };
}

export type Resolver = (hostname: string, options: LookupOptions & { all: true }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/** A `lookup` for sockets that fails when the name is refused or resolves to any refused address. */
export function guardedLookup(policy: OutboundPolicy, resolve: Resolver = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    const refusedName = policy.checkHost(hostname);
    if (refusedName) return process.nextTick(() => callback(refusedName, ''));
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      // Any refused address refuses the name: the resolver may hand out a different one on the next lookup.
      for (const entry of addresses) {
        const refused = policy.checkAddress(entry.address, hostname);
        if (refused) return callback(refused, '');
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

type ConnectionCallback = (err: Error | null, stream: Duplex) => void;

function refusalFor(policy: OutboundPolicy, options: http.ClientRequestArgs): OutboundAddressRefusedError | undefined {
  const host = options.host ?? options.hostname;
  return typeof host === 'string' ? policy.checkHost(host) : undefined;
}

// Mirrors Node 20's default global agents (keep-alive, LIFO, 5 s idle timeout).
const AGENT_OPTIONS = { keepAlive: true, scheduling: 'lifo', timeout: 5000 } as const;

export function createGuardedAgents(policy: OutboundPolicy, resolve?: Resolver): { http: http.Agent; https: https.Agent } {
  const lookup = guardedLookup(policy, resolve);

  class GuardedHttpAgent extends http.Agent {
    override createConnection(options: http.ClientRequestArgs, callback?: ConnectionCallback): Duplex | null | undefined {
      // IP literals never reach `lookup`, and refused names must not even be resolved.
      const refused = refusalFor(policy, options);
      if (refused) {
        callback?.(refused, undefined as unknown as Duplex);
        return undefined;
      }
      return super.createConnection(options, callback);
    }
  }

  class GuardedHttpsAgent extends https.Agent {
    override createConnection(options: http.ClientRequestArgs, callback?: ConnectionCallback): Duplex | null | undefined {
      const refused = refusalFor(policy, options);
      if (refused) {
        callback?.(refused, undefined as unknown as Duplex);
        return undefined;
      }
      return super.createConnection(options, callback);
    }
  }

  return { http: new GuardedHttpAgent({ ...AGENT_OPTIONS, lookup }), https: new GuardedHttpsAgent({ ...AGENT_OPTIONS, lookup }) };
}

/** Replaces the process-wide default agents; returns a function that restores the previous ones. */
export function installOutboundGuard(rules: OutboundRules): () => void {
  const agents = createGuardedAgents(createOutboundPolicy(rules));
  const previous = { http: http.globalAgent, https: https.globalAgent };
  http.globalAgent = agents.http;
  https.globalAgent = agents.https;
  return () => {
    if (http.globalAgent === agents.http) http.globalAgent = previous.http;
    if (https.globalAgent === agents.https) https.globalAgent = previous.https;
    agents.http.destroy();
    agents.https.destroy();
  };
}
