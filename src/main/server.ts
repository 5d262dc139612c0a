// Composition root of a Switchyard process: configuration → database → catalog → services → HTTP.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { loadDestinationCatalog } from '../control/catalog/destination-catalog.js';
import { buildApp } from '../http/app.js';
import { openStorage, type Storage } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { createControlPlane, type ControlPlane } from './control-plane.js';
import { createDataPlane, type DataPlane } from './data-plane.js';

export type ProcessRole = 'all' | 'api' | 'worker';

export interface RunningSwitchyard {
  /** Absent for worker-only processes, which serve no HTTP. */
  app: FastifyInstance | undefined;
  storage: Storage;
  controlPlane: ControlPlane;
  dataPlane: DataPlane;
  /** Base URL of the listener, e.g. http://127.0.0.1:8080 ('' for worker-only processes). */
  url: string;
  close(): Promise<void>;
}

export async function openMigratedStorage(config: Config, logger: Logger, postgresSchema?: string): Promise<Storage> {
  const storage = await openStorage({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }),
    ...(postgresSchema ? { postgresSchema } : {}),
  });
  const applied = await migrateToLatest(storage);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  return storage;
}

export async function startSwitchyard(
  config: Config,
  logger: Logger,
  options: { role?: ProcessRole; postgresSchema?: string } = {},
): Promise<RunningSwitchyard> {
  const storage = await openMigratedStorage(config, logger, options.postgresSchema);
  try {
    const catalog = loadDestinationCatalog();
    const controlPlane = createControlPlane(storage.db, catalog);
    const issued = await controlPlane.workspaces.bootstrap(config.bootstrapToken);
    if (issued) {
      logger.warn(
        { workspaceId: issued.workspaceId, token: issued.token },
        'Created the first workspace and its owner token. Save this token now: it is shown only once.',
      );
    }
    const role = options.role ?? 'all';
    const dataPlane = createDataPlane({ storage, catalog, config, logger, runWorkers: role !== 'api' });
    let app: FastifyInstance | undefined;
    let address = '';
    if (role !== 'worker') {
      app = await buildApp({
        logger,
        controlPlane,
        rateLimitPerMinute: config.rateLimitPerMinute,
        subscriptionWritesPerMinute: config.subscriptionWritesPerMinute,
        plugins: [dataPlane.ingestPlugin, dataPlane.metricsPlugin],
      });
      address = await app.listen({ port: config.port, host: config.host });
    }
    await dataPlane.startWorkers();
    logger.info({ url: address || undefined, role, backend: storage.caps.name, catalogEntries: catalog.size }, 'Switchyard started');
    let closing: Promise<void> | undefined;
    return {
      app,
      storage,
      controlPlane,
      dataPlane,
      url: address,
      close: () =>
        (closing ??= (async () => {
          await app?.close();
          await dataPlane.close();
          await storage.close();
        })()),
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
