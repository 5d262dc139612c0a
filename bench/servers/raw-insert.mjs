// The "physical limit" of ingest: the rows one accepted /v1/batch writes (dedup keys, events, deliveries),
// inserted straight into the same database, one transaction per batch, with the server's durability settings
// (SQLite WAL + synchronous=FULL; PostgreSQL's default synchronous commit). Prints one JSON result line.
// Usage: node raw-insert.mjs '<json spec>'  (see bench/scenarios/ingest.mjs)
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { benchEvent } from '../lib/events.mjs';

const spec = JSON.parse(process.argv[2]);
const { eventsPerBatch, seconds, sourceId, destinationId, subscriptionId } = spec;
const ID_MARK = '~ID~';

// The stored body is the normalised event: the client's fields plus the server-filled clock fields.
const receivedIso = new Date().toISOString();
const bodyParts = Array.from({ length: eventsPerBatch }, (_, i) => {
  const event = benchEvent(i, `${ID_MARK}-${i}`);
  return JSON.stringify({ ...event, originalTimestamp: event.timestamp, receivedAt: receivedIso }).split(ID_MARK);
});
let batchCounter = 0;
const tag = Math.random().toString(36).slice(2, 8);

function nextBatch(workspaceId) {
  const prefix = `${tag}${(batchCounter++).toString(36)}`;
  const receivedAt = Date.now();
  return bodyParts.map((parts, i) => ({
    id: randomUUID(),
    workspaceId,
    messageId: `${prefix}-${i}`,
    receivedAt,
    body: parts.join(prefix),
  }));
}

function runSqlite() {
  const db = new Database(spec.sqliteFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const { workspace_id: workspaceId } = db.prepare('select workspace_id from sources where id = ?').get(sourceId);
  const dedup = db.prepare(
    'insert into event_dedup (source_id, message_id, received_at) values (?, ?, ?) on conflict (source_id, message_id) do nothing returning message_id',
  );
  const event = db.prepare(
    'insert into events (id, workspace_id, source_id, message_id, type, received_at, body) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const delivery = db.prepare(
    `insert into deliveries (event_id, workspace_id, source_id, destination_id, subscription_id, received_at, next_attempt_at)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const store = db.transaction((rows) => {
    for (const r of rows) {
      if (!dedup.get(sourceId, r.messageId, r.receivedAt)) continue;
      event.run(r.id, r.workspaceId, sourceId, r.messageId, 'track', r.receivedAt, r.body);
      delivery.run(r.id, r.workspaceId, sourceId, destinationId, subscriptionId, r.receivedAt, r.receivedAt);
    }
  });
  const started = Date.now();
  const deadline = started + seconds * 1000;
  let events = 0;
  while (Date.now() < deadline && events < spec.maxEvents) {
    store(nextBatch(workspaceId));
    events += eventsPerBatch;
  }
  db.close();
  return { events, seconds: (Date.now() - started) / 1000, concurrency: 1 };
}

function valuesList(rowCount, columns) {
  return Array.from({ length: rowCount }, (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`).join(', ');
}

async function runPostgres() {
  const pool = new pg.Pool({ connectionString: spec.postgresUrl, max: spec.concurrency });
  const { rows } = await pool.query('select workspace_id from sources where id = $1', [sourceId]);
  const workspaceId = rows[0].workspace_id;
  const started = Date.now();
  const deadline = started + seconds * 1000;
  let events = 0;
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (Date.now() < deadline && events < spec.maxEvents) {
        const batch = nextBatch(workspaceId);
        await client.query('begin');
        const fresh = await client.query(
          `insert into event_dedup (source_id, message_id, received_at) values ${valuesList(batch.length, 3)}
           on conflict (source_id, message_id) do nothing returning message_id`,
          batch.flatMap((r) => [sourceId, r.messageId, r.receivedAt]),
        );
        const accepted = new Set(fresh.rows.map((r) => r.message_id));
        const kept = batch.filter((r) => accepted.has(r.messageId));
        await client.query(
          `insert into events (id, workspace_id, source_id, message_id, type, received_at, body) values ${valuesList(kept.length, 7)}`,
          kept.flatMap((r) => [r.id, r.workspaceId, sourceId, r.messageId, 'track', r.receivedAt, r.body]),
        );
        await client.query(
          `insert into deliveries (event_id, workspace_id, source_id, destination_id, subscription_id, received_at, next_attempt_at)
           values ${valuesList(kept.length, 7)}`,
          kept.flatMap((r) => [r.id, r.workspaceId, sourceId, destinationId, subscriptionId, r.receivedAt, r.receivedAt]),
        );
        await client.query('commit');
        events += kept.length;
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  await pool.end();
  return { events, seconds: (Date.now() - started) / 1000, concurrency: spec.concurrency };
}

const result = spec.backend === 'sqlite' ? runSqlite() : await runPostgres();
process.stdout.write(`${JSON.stringify({ ready: true, ...result, perSecond: result.events / result.seconds })}\n`);
