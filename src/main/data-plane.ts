// Wires the data plane: routing cache, ingest, the delivery scheduler and periodic maintenance.
import type { Logger } from 'pino';
import { installOutboundGuard } from '../actions/outbound-guard.js';
import { createActionsRuntime } from '../actions/runtime.js';
import { TriggerCache } from '../actions/trigger.js';
import type { Config } from '../config/config.js';
import type { DestinationCatalog } from '../control/catalog/destination-catalog.js';
import type { Storage } from '../storage/database.js';
import { readConfigVersion } from '../storage/config-version.js';
import { DeliveryStats } from '../data/aggregation/delivery-stats.js';
import { prometheusRoutes } from '../data/aggregation/prometheus.js';
import { createAttemptConfigReader, createBatchSizeReader } from '../data/delivery/attempt-config.js';
import { executeClaims, type ExecutorDeps } from '../data/delivery/execute.js';
import { DeliveryScheduler } from '../data/delivery/scheduler.js';
import { ingestRoutes } from '../data/ingest/ingest.routes.js';
import { IngestService } from '../data/ingest/ingest.service.js';
import { pruneExpiredData } from '../data/maintenance.js';
import { storeEvents } from '../data/queue/enqueue.js';
import { createSqlQueue } from '../data/queue/queue.js';
import { loadRoutingRows } from '../data/routing/routing.repository.js';
import { RoutingTable } from '../data/routing/routing-table.js';

const MAINTENANCE_EVERY_MS = 60_000;

export interface DataPlane {
  ingest: IngestService;
  routing: RoutingTable;
  scheduler: DeliveryScheduler | undefined;
  /** Outcome counters and attempt latency of this process's workers. */
  stats: DeliveryStats;
  /** Fastify plugin serving the Tracking API. */
  ingestPlugin: ReturnType<typeof ingestRoutes>;
  /** Fastify plugin serving Prometheus metrics at GET /metrics. */
  metricsPlugin: ReturnType<typeof prometheusRoutes>;
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

export function createDataPlane(options: {
  storage: Storage;
  catalog: DestinationCatalog;
  config: Config;
  logger: Logger;
  runWorkers: boolean;
}): DataPlane {
  const { storage, catalog, config, logger } = options;
  const { db } = storage;
  const routing = new RoutingTable({
    readVersion: () => readConfigVersion(db),
    loadRows: () => loadRoutingRows(db),
    catalog,
    triggers: new TriggerCache(),
  });
  const queue = createSqlQueue(storage, { leaseMs: config.delivery.leaseMs });
  // Destination requests go through the process-wide agents, so the SSRF guard is installed there.
  const restoreAgents = installOutboundGuard(config.outbound);
  const stats = new DeliveryStats();
  const runtime = createActionsRuntime({ timeoutMs: config.delivery.timeoutMs, logger: logger.child({ component: 'actions' }) });
  const executor: ExecutorDeps = {
    queue,
    runtime,
    readConfig: createAttemptConfigReader(db, catalog),
    maxAgeMs: config.delivery.maxAgeMs,
    backoff: { baseMs: config.delivery.retryBaseMs, maxMs: config.delivery.retryMaxMs },
    onSettled: (_claim, settlement, timing) => stats.observe(settlement, timing),
  };
  const scheduler = options.runWorkers
    ? new DeliveryScheduler(
        {
          queue,
          deliveriesPerSlot: createBatchSizeReader(db, catalog, (directory, slug, mapping) => {
            const batch = runtime.batchSettings(directory, slug, mapping);
            return batch.enabled ? batch.size : 1;
          }),
          execute: (claims) => executeClaims(claims, executor),
          onError: (error) => logger.error({ err: error }, 'delivery scheduling failed'),
        },
        {
          perDestinationCap: config.delivery.perDestinationConcurrency,
          concurrency: config.delivery.workerConcurrency,
          idlePollMs: config.delivery.idlePollMs,
          pauseBaseMs: config.delivery.retryBaseMs,
        },
      )
    : undefined;
  const ingest = new IngestService({
    routing,
    store: (source, events) => storeEvents(db, source, events),
    onDeliveriesCreated: () => scheduler?.notify(),
    onStoreFailure: (error) => logger.error({ err: error }, 'storing events failed'),
  });

  let maintenance: NodeJS.Timeout | undefined;
  const maintain = () =>
    pruneExpiredData(db, { ...config.retention, auditRetentionMs: config.auditRetentionDays * 86_400_000 }).catch((error: unknown) =>
      logger.warn({ err: error }, 'maintenance failed'),
    );

  return {
    ingest,
    routing,
    scheduler,
    stats,
    ingestPlugin: ingestRoutes(ingest),
    metricsPlugin: prometheusRoutes({ db, ingest, stats }),
    async startWorkers() {
      if (!scheduler) return;
      // With SQLite exactly one worker process exists, so leases left by a crash can be released at once.
      if (storage.caps.name === 'sqlite') {
        await db.updateTable('deliveries').set({ lease_token: null, leased_until: null }).where('lease_token', 'is not', null).execute();
      }
      scheduler.start();
      void maintain();
      maintenance = setInterval(maintain, MAINTENANCE_EVERY_MS);
      maintenance.unref();
    },
    async close() {
      if (maintenance) clearInterval(maintenance);
      await scheduler?.stop();
      restoreAgents();
    },
  };
}
