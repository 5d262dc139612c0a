// Runs the built server (`bin/switchyard.js serve`) as a child process over a bench database and talks to it
// through its Public API, the way an operator would.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNode } from './processes.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'switchyard.js');
export const PROFILE_DIR = path.join(ROOT, 'bench', 'results', 'profiles');

export const WEBHOOK_METADATA_ID = '614a3c7d791c91c41bae7599';
const SOURCE_METADATA_ID = 'U9mT0bPcI6';

/**
 * @param {{ env: Record<string,string> }} database from createBenchDatabase
 * @param {{ role?: 'all'|'api'|'worker', env?: Record<string,string>, token?: string, label?: string }} options
 */
export async function startSwitchyard(database, options = {}) {
  const token = options.token ?? `sy_bench_${randomBytes(16).toString('hex')}`;
  const role = options.role ?? 'all';
  // BENCH_CPU_PROF=1 writes a V8 CPU profile of every server process when it exits.
  const nodeOptions = process.env.BENCH_CPU_PROF === '1' ? (mkdirSync(PROFILE_DIR, { recursive: true }), ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR]) : [];
  const proc = startNode([BIN, 'serve', '--role', role], {
    label: `switchyard ${options.label ?? role}`,
    nodeOptions,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SWITCHYARD_BOOTSTRAP_TOKEN: token,
      // The benches measure the engine, not the per-token throttles.
      SWITCHYARD_RATE_LIMIT: '0',
      SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0',
      ...database.env,
      ...options.env,
    },
    isReady: (line) => line.msg === 'Switchyard started',
  });
  const started = await proc.ready;
  const url = started.url ?? '';
  return {
    url,
    token,
    pid: proc.pid,
    output: proc.output,
    stop: () => proc.stop(),
    api: (pathAndQuery, { json, method } = {}) => apiCall(url, token, pathAndQuery, { json, method }),
  };
}

async function apiCall(url, token, pathAndQuery, { json, method }) {
  const response = await fetch(`${url}${pathAndQuery}`, {
    method: method ?? (json === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method ?? 'GET'} ${pathAndQuery} → ${response.status}: ${text.slice(0, 300)}`);
  return { status: response.status, text, json: JSON.parse(text) };
}

export async function createSource(server, slug) {
  const { json } = await server.api('/sources', { json: { slug, enabled: true, metadataId: SOURCE_METADATA_ID } });
  return { sourceId: json.data.source.id, writeKey: json.data.source.writeKeys[0] };
}

export async function createWebhookDestination(server, sourceId, name) {
  const { json } = await server.api('/destinations', { json: { sourceId, metadataId: WEBHOOK_METADATA_ID, name, settings: {} } });
  return json.data.destination.id;
}

let sendActionId;
async function webhookSendActionId(server) {
  if (sendActionId) return sendActionId;
  const { json } = await server.api(`/catalog/destinations/${WEBHOOK_METADATA_ID}`);
  sendActionId = json.data.destinationMetadata.actions.find((a) => a.slug === 'send').id;
  return sendActionId;
}

/** A `send` subscription on track events; batchSize > 1 makes the webhook action post arrays. */
export async function subscribeWebhook(server, destinationId, { url, batchSize }) {
  const settings = { url, method: 'POST', data: { '@path': '$.' }, ...(batchSize > 1 ? { batch_size: batchSize } : {}) };
  const { json } = await server.api(`/destinations/${destinationId}/subscriptions`, {
    json: { name: 'bench hook', actionId: await webhookSendActionId(server), trigger: 'type = "track"', enabled: true, settings },
  });
  return json.data.destinationSubscription.id;
}

/** Source → webhook destination(s) → subscription(s); one destination per sink URL. */
export async function createWebhookPipeline(server, { slug, urls, batchSize }) {
  const source = await createSource(server, slug);
  const destinations = [];
  for (const [i, url] of urls.entries()) {
    const destinationId = await createWebhookDestination(server, source.sourceId, `${slug} ${i}`);
    const subscriptionId = await subscribeWebhook(server, destinationId, { url, batchSize });
    destinations.push({ destinationId, subscriptionId, url });
  }
  return { ...source, destinations };
}
