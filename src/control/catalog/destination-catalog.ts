// Runtime side of the destination catalog: reads the generated JSON file and serves entries with their
// wire JSON serialised once (entries reach 138 KB and every destination response embeds one).
//
// Where the file comes from: `<cacheDir>/destinations-catalog-<version>.json`, version being the installed
// @segment/action-destinations. `npm run build` writes it (node dist/cli/build-catalog.js). When it is
// missing at start-up, ensureCatalogFile() generates it in a child process so the server never loads all
// definitions itself. That only works from compiled JS: plain Node cannot run the .ts entry script, and no
// TypeScript loader is a dependency. Under vitest (source .ts) the test global setup builds the file
// in-process before any test runs, so a missing file there is a setup error and is reported as such.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION_DESTINATIONS_PACKAGE, installedActionDestinationsVersion } from '../../actions/catalog-builder.js';
import type { CatalogEntryFile, DestinationAction, DestinationMetadata } from './catalog.types.js';

export interface CatalogEntry {
  metadata: DestinationMetadata;
  /** `JSON.stringify(metadata)`, computed once; splice it into responses instead of re-serialising. */
  json: string;
  readOnlyOptions: ReadonlySet<string>;
  runtimeDirectory: string | null;
  actionsById: ReadonlyMap<string, DestinationAction>;
  /** Allowed values of options that declare choices. */
  optionChoices: ReadonlyMap<string, readonly unknown[]>;
}

export interface CatalogFile {
  package: string;
  version: string;
  entries: CatalogEntryFile[];
}

function toEntry(file: CatalogEntryFile): CatalogEntry {
  return {
    metadata: file.metadata,
    json: JSON.stringify(file.metadata),
    readOnlyOptions: new Set(file.readOnlyOptions),
    runtimeDirectory: file.runtimeDirectory,
    actionsById: new Map(file.metadata.actions.map((action) => [action.id, action])),
    optionChoices: new Map(Object.entries(file.optionChoices ?? {})),
  };
}

// Page order of the catalog: case-insensitive name, id as tie-breaker so pages are stable.
function compareEntries(a: CatalogEntry, b: CatalogEntry): number {
  const nameA = a.metadata.name.toLowerCase();
  const nameB = b.metadata.name.toLowerCase();
  if (nameA !== nameB) return nameA < nameB ? -1 : 1;
  return a.metadata.id < b.metadata.id ? -1 : a.metadata.id > b.metadata.id ? 1 : 0;
}

export class DestinationCatalog {
  private readonly byId = new Map<string, CatalogEntry>();
  private readonly ordered: CatalogEntry[];

  constructor(entries: readonly CatalogEntryFile[]) {
    for (const file of entries) {
      if (this.byId.has(file.metadata.id)) throw new Error(`Duplicate catalog id ${file.metadata.id}`);
      this.byId.set(file.metadata.id, toEntry(file));
    }
    this.ordered = [...this.byId.values()].sort(compareEntries);
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): CatalogEntry | undefined {
    return this.byId.get(id);
  }

  /** All entries in catalog page order (a fresh array; the entries themselves are shared). */
  list(): CatalogEntry[] {
    return this.ordered.slice();
  }
}

// This module sits at <root>/{src,dist}/control/catalog/, so the package root is three levels up.
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

export function defaultCatalogDir(): string {
  return path.join(PACKAGE_ROOT, '.catalog');
}

export function catalogFilePath(cacheDir: string, version = installedActionDestinationsVersion()): string {
  return path.join(cacheDir, `destinations-catalog-${version}.json`);
}

/** Parses and sanity-checks a catalog file written by writeCatalogFile(). */
export function readCatalogFile(filePath: string): CatalogFile {
  const parsed = JSON.parse(readFileSync(filePath, 'utf8')) as Partial<CatalogFile>;
  if (parsed.package !== ACTION_DESTINATIONS_PACKAGE || typeof parsed.version !== 'string' || !Array.isArray(parsed.entries)) {
    throw new Error(`${filePath} is not a destination catalog file; delete it to have it rebuilt`);
  }
  return parsed as CatalogFile;
}

/** Path of the catalog file for the installed version, generating it in a child process when missing. */
export function ensureCatalogFile(cacheDir: string = defaultCatalogDir()): string {
  const filePath = catalogFilePath(cacheDir);
  if (existsSync(filePath)) return filePath;
  if (RUNNING_FROM_SOURCE) {
    throw new Error(
      `Destination catalog ${filePath} is missing. Run \`npm run build\` (it runs dist/cli/build-catalog.js); ` +
        'under vitest the global setup (test/global-setup.ts) builds it.',
    );
  }
  const script = fileURLToPath(new URL('../../cli/build-catalog.js', import.meta.url));
  // stdout carries only the builder's summary line; errors surface on our stderr.
  execFileSync(process.execPath, [script, cacheDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(filePath)) throw new Error(`${script} did not produce ${filePath}`);
  return filePath;
}

/** The catalog the server uses; never loads the definitions in this process. */
export function loadDestinationCatalog(cacheDir: string = defaultCatalogDir()): DestinationCatalog {
  const file = readCatalogFile(ensureCatalogFile(cacheDir));
  return new DestinationCatalog(file.entries);
}
