// The routing table: write key → source → enabled action destinations × enabled subscriptions, with parsed
// triggers. Rebuilt whenever the shared configuration version moves (checked at most every `checkEveryMs`),
// so a change made through any process reaches every ingest process within that interval.
import type { TriggerCache, TriggerAst } from '../../actions/trigger.js';
import type { DestinationCatalog } from '../../control/catalog/destination-catalog.js';
import type { loadRoutingRows } from './routing.repository.js';

export interface SubscriptionRoute {
  subscriptionId: string;
  trigger: TriggerAst | null;
}

export interface DestinationRoute {
  destinationId: string;
  /** Catalog name, matched against the event's `integrations` object. */
  metadataName: string;
  subscriptions: SubscriptionRoute[];
}

export interface SourceRoute {
  sourceId: string;
  workspaceId: string;
  enabled: boolean;
  destinations: DestinationRoute[];
}

type RoutingRows = Awaited<ReturnType<typeof loadRoutingRows>>;

export interface RoutingTableDeps {
  readVersion(): Promise<number>;
  loadRows(): Promise<RoutingRows>;
  catalog: DestinationCatalog;
  triggers: TriggerCache;
  checkEveryMs?: number;
  now?: () => number;
}

export class RoutingTable {
  private byWriteKey = new Map<string, SourceRoute>();
  private version = -1;
  private checkedAt = -Infinity;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly deps: RoutingTableDeps) {}

  async sourceForWriteKey(writeKey: string): Promise<SourceRoute | undefined> {
    await this.ensureFresh();
    return this.byWriteKey.get(writeKey);
  }

  /** Forces the next lookup to re-check the configuration version (used after local configuration writes). */
  invalidate(): void {
    this.checkedAt = -Infinity;
  }

  private async ensureFresh(): Promise<void> {
    const now = (this.deps.now ?? Date.now)();
    if (now - this.checkedAt < (this.deps.checkEveryMs ?? 0)) return;
    this.refreshing ??= this.refresh(now).finally(() => {
      this.refreshing = undefined;
    });
    await this.refreshing;
  }

  private async refresh(now: number): Promise<void> {
    const version = await this.deps.readVersion();
    if (version !== this.version) {
      this.byWriteKey = this.build(await this.deps.loadRows());
      this.version = version;
    }
    this.checkedAt = now;
  }

  private build(rows: RoutingRows): Map<string, SourceRoute> {
    const { catalog, triggers } = this.deps;
    const subscriptionsOf = new Map<string, SubscriptionRoute[]>();
    for (const s of rows.subscriptions) {
      const list = subscriptionsOf.get(s.destination_id) ?? [];
      list.push({ subscriptionId: s.id, trigger: triggers.get(s.trigger) });
      subscriptionsOf.set(s.destination_id, list);
    }
    const sources = new Map<string, SourceRoute>(
      rows.sources.map((s) => [s.id, { sourceId: s.id, workspaceId: s.workspace_id, enabled: s.enabled === 1, destinations: [] }]),
    );
    for (const d of rows.destinations) {
      const entry = catalog.get(d.metadata_id);
      const subscriptions = subscriptionsOf.get(d.id);
      // Only destinations with a runtime and at least one enabled subscription can receive anything.
      if (!entry?.runtimeDirectory || !subscriptions) continue;
      sources.get(d.source_id)?.destinations.push({ destinationId: d.id, metadataName: entry.metadata.name, subscriptions });
    }
    const byWriteKey = new Map<string, SourceRoute>();
    for (const k of rows.writeKeys) {
      const source = sources.get(k.source_id);
      if (source) byWriteKey.set(k.write_key, source);
    }
    return byWriteKey;
  }
}
