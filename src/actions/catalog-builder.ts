// Turns the @segment/action-destinations definitions into catalog entries (public-api.md §6.3).
// buildCatalogEntries() loads all 172 definitions, so only the build step and the test global setup call
// it; the server reads the resulting file. The helpers at the top are cheap and safe for the server.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type {
  ActionField,
  CatalogEntryFile,
  DestinationAction,
  DestinationMetadata,
  IntegrationOption,
  SubscriptionPreset,
} from '../control/catalog/catalog.types.js';
import { CLASSIC_OVERLAY } from '../control/catalog/classic-overlay.js';
import { stableBase58Id } from './stable-id.js';

export const ACTION_DESTINATIONS_PACKAGE = '@segment/action-destinations';
const CODE_URL_BASE =
  'https://github.com/segmentio/action-destinations/tree/main/packages/destination-actions/src/destinations/';

const require = createRequire(import.meta.url);

/** Installed package directory, resolved without loading the package (no `exports` map, deep paths work). */
export function actionDestinationsRoot(): string {
  return path.dirname(require.resolve(`${ACTION_DESTINATIONS_PACKAGE}/package.json`));
}

/** Installed @segment/action-destinations version; it keys the catalog file. */
export function installedActionDestinationsVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(actionDestinationsRoot(), 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  if (typeof pkg.version !== 'string') throw new Error(`${ACTION_DESTINATIONS_PACKAGE}/package.json has no version`);
  return pkg.version;
}

// `register('<24 hex>', './<dir>')`; quotes of either kind in case the compiler output changes.
const REGISTER_LINE = /register\(\s*(['"])([0-9a-f]{24})\1\s*,\s*(['"])\.\/([^'"]+)\3\s*\)/g;
let registryCache: Map<string, string> | undefined;

/**
 * Metadata id → definition directory, parsed from the register() calls of dist/destinations/index.js.
 * Requiring that index would load every definition eagerly (data-plane.md §10.2), so it is read as text.
 */
export function readActionRegistry(): Map<string, string> {
  if (!registryCache) {
    const indexPath = path.join(actionDestinationsRoot(), 'dist', 'destinations', 'index.js');
    const source = readFileSync(indexPath, 'utf8');
    const registry = new Map<string, string>();
    for (const match of source.matchAll(REGISTER_LINE)) {
      const [, , id, , directory] = match;
      if (!id || !directory) continue;
      if (registry.has(id)) throw new Error(`Duplicate destination id ${id} in ${indexPath}`);
      registry.set(id, directory);
    }
    if (registry.size === 0) throw new Error(`No register() lines found in ${indexPath}`);
    registryCache = registry;
  }
  return new Map(registryCache);
}

/** Requires one definition (`dist/destinations/<dir>`) and returns its default export. */
export function requireActionDefinition(directory: string): unknown {
  const modulePath = path.join(actionDestinationsRoot(), 'dist', 'destinations', directory);
  const loaded = require(modulePath) as { default?: unknown };
  if (!loaded.default) throw new Error(`${modulePath} has no default export`);
  return loaded.default;
}

// Only the parts of a definition the catalog reads; everything is checked at runtime.
interface RawField {
  label?: unknown;
  description?: unknown;
  type?: unknown;
  required?: unknown;
  multiple?: unknown;
  dynamic?: unknown;
  allowNull?: unknown;
  default?: unknown;
  choices?: unknown;
  unsafe_hidden?: unknown;
}
interface RawAction {
  title?: unknown;
  description?: unknown;
  platform?: unknown;
  hidden?: unknown;
  defaultSubscription?: unknown;
  fields?: Record<string, RawField>;
}
interface RawPreset { name?: unknown; partnerAction?: unknown; mapping?: unknown; subscribe?: unknown }
interface RawDefinition {
  name: string;
  slug: string;
  description?: unknown;
  authentication?: { fields?: Record<string, RawField> };
  actions?: Record<string, RawAction>;
  presets?: RawPreset[];
}

const FIELD_TYPES = new Set<ActionField['type']>([
  'BOOLEAN', 'DATETIME', 'HIDDEN', 'INTEGER', 'NUMBER', 'OBJECT', 'PASSWORD', 'STRING', 'TEXT',
]);
const PLATFORMS = new Set<DestinationAction['platform']>(['CLOUD', 'MOBILE', 'WEB']);
const METHOD_KEYS = ['track', 'pageview', 'identify', 'group', 'alias'] as const;
// FQL event types → supportedMethods keys; screen calls are the mobile form of a page view.
const METHOD_BY_EVENT_TYPE: Record<string, (typeof METHOD_KEYS)[number]> = {
  track: 'track', page: 'pageview', screen: 'pageview', identify: 'identify', group: 'group', alias: 'alias',
};
// `type = "track"`, `type="page"`, `type = track` (unquoted, seen in one definition); not `properties.type`.
const EVENT_TYPE_IN_TRIGGER = /(?<![\w.$])type\s*=\s*["']?([A-Za-z]+)/g;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * FQL has no `==`; Iterable's defaults use it and would parse as `event = "="`. Rewritten outside
 * string literals only, so quoted event names are left alone.
 */
export function normaliseTrigger(trigger: string): string {
  return trigger
    .split(/("(?:[^"\\]|\\.)*")/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/==/g, '=')))
    .join('');
}

function fieldType(directory: string, key: string, field: RawField): ActionField['type'] {
  // Fields the upstream UI hides are reported as HIDDEN (public-api.md §6.3).
  if (field.unsafe_hidden === true) return 'HIDDEN';
  const type = text(field.type).toUpperCase() as ActionField['type'];
  if (!FIELD_TYPES.has(type)) throw new Error(`${directory}: field ${key} has unsupported type ${String(field.type)}`);
  return type;
}

function mapOptions(definition: RawDefinition): { options: IntegrationOption[]; choices: Record<string, unknown[]> } {
  const options: IntegrationOption[] = [];
  const choices: Record<string, unknown[]> = {};
  for (const [name, field] of Object.entries(definition.authentication?.fields ?? {})) {
    options.push({
      name,
      type: text(field.type).toLowerCase(),
      required: field.required === true,
      description: text(field.description),
      defaultValue: field.default ?? null,
      label: text(field.label) || name,
    });
    // Kept beside the wire object for the settings type check (public-api.md §3).
    if (Array.isArray(field.choices) && field.choices.length > 0) {
      choices[name] = field.choices.map((choice: unknown) => (isPlainObject(choice) ? choice.value : choice));
    }
  }
  return { options, choices };
}

function mapAction(metadataId: string, directory: string, key: string, action: RawAction): DestinationAction {
  const platform = text(action.platform || 'cloud').toUpperCase() as DestinationAction['platform'];
  if (!PLATFORMS.has(platform)) throw new Error(`${directory}: action ${key} has platform ${String(action.platform)}`);
  const fields = Object.entries(action.fields ?? {}).map(
    ([fieldKey, field], sortOrder): ActionField => ({
      id: stableBase58Id(`${metadataId}/${key}/${fieldKey}`),
      sortOrder,
      fieldKey,
      label: text(field.label) || fieldKey,
      type: fieldType(directory, `${key}.${fieldKey}`, field),
      description: text(field.description),
      required: field.required === true,
      multiple: field.multiple === true,
      dynamic: Boolean(field.dynamic),
      allowNull: field.allowNull === true,
      defaultValue: field.default ?? null,
      choices: Array.isArray(field.choices) ? field.choices : null,
    }),
  );
  return {
    id: stableBase58Id(`${metadataId}/${key}`),
    slug: key,
    name: text(action.title) || key,
    description: text(action.description),
    platform,
    hidden: Boolean(action.hidden),
    defaultTrigger: typeof action.defaultSubscription === 'string' ? normaliseTrigger(action.defaultSubscription) : null,
    fields,
  };
}

function mapPresets(definition: RawDefinition, actions: DestinationAction[]): SubscriptionPreset[] {
  const presets: SubscriptionPreset[] = [];
  for (const preset of definition.presets ?? []) {
    // `specificEvent` presets carry no trigger; plugin presets point at browser-only actions.
    const action = actions.find((candidate) => candidate.slug === preset.partnerAction);
    if (typeof preset.subscribe !== 'string' || !action) continue;
    presets.push({
      actionId: action.id,
      name: text(preset.name) || action.name,
      trigger: normaliseTrigger(preset.subscribe),
      fields: isPlainObject(preset.mapping) ? preset.mapping : {},
    });
  }
  return presets;
}

/** Event types named in default and preset triggers; all five when none can be told. */
export function detectSupportedMethods(triggers: readonly string[]): Record<string, boolean> {
  const found = new Set<string>();
  for (const trigger of triggers) {
    for (const match of trigger.matchAll(EVENT_TYPE_IN_TRIGGER)) {
      const method = METHOD_BY_EVENT_TYPE[(match[1] ?? '').toLowerCase()];
      if (method) found.add(method);
    }
  }
  return Object.fromEntries(METHOD_KEYS.map((key) => [key, found.size === 0 || found.has(key)]));
}

/** Maps one definition to its catalog entry (public-api.md §6.3 table). */
export function mapDefinition(metadataId: string, directory: string, definition: RawDefinition): CatalogEntryFile {
  const actions = Object.entries(definition.actions ?? {}).map(([key, action]) =>
    mapAction(metadataId, directory, key, action),
  );
  const presets = mapPresets(definition, actions);
  const triggers = [
    ...actions.flatMap((action) => (action.defaultTrigger === null ? [] : [action.defaultTrigger])),
    ...presets.map((preset) => preset.trigger),
  ];
  const { options, choices } = mapOptions(definition);
  const metadata: DestinationMetadata = {
    id: metadataId,
    name: definition.name,
    slug: definition.slug,
    description: text(definition.description),
    website: '',
    status: 'PUBLIC',
    categories: [],
    previousNames: [definition.name],
    logos: { default: '', mark: null, alt: definition.name },
    options,
    components: [{ type: 'SERVER', owner: 'SEGMENT', code: `${CODE_URL_BASE}${directory}` }],
    supportedFeatures: {
      cloudModeInstances: 'MULTIPLE',
      deviceModeInstances: 'NONE',
      replay: false,
      browserUnbundling: false,
      browserUnbundlingPublic: false,
    },
    supportedMethods: detectSupportedMethods(triggers),
    supportedPlatforms: { browser: false, server: true, mobile: false },
    actions,
    presets,
    contacts: [],
    partnerOwned: false,
    supportedRegions: [],
    regionEndpoints: [],
  };
  return { metadata, readOnlyOptions: [], runtimeDirectory: directory, optionChoices: choices };
}

function asDefinition(directory: string, loaded: unknown): RawDefinition {
  const candidate = loaded as Partial<RawDefinition>;
  if (typeof candidate.name !== 'string' || typeof candidate.slug !== 'string' || !isPlainObject(candidate.actions)) {
    throw new Error(`${directory}: not an action destination definition`);
  }
  return candidate as RawDefinition;
}

/** Every registered definition in registry order, then the classic overlay. Loads all definitions. */
/**
 * Settings validation compiles each destination's schema under a key made from its name. A fast-uri newer than
 * the pinned override rejects such keys as malformed URIs, which would fail every delivery; catch that drift
 * here, at build time, where every definition is loaded anyway.
 */
function assertSchemasCompile(directory: string, definition: unknown): void {
  const { Destination } = require('@segment/actions-core') as { Destination: new (d: unknown) => { validateSettings(s: object): void } };
  try {
    new Destination(definition).validateSettings({});
  } catch (error) {
    if (/URI scheme/i.test(String((error as Error).message))) {
      throw new Error(`Destination ${directory} cannot validate settings (${(error as Error).message}); check the fast-uri override`);
    }
  }
}

export function buildCatalogEntries(): CatalogEntryFile[] {
  const entries: CatalogEntryFile[] = [];
  for (const [metadataId, directory] of readActionRegistry()) {
    const definition = requireActionDefinition(directory);
    assertSchemasCompile(directory, definition);
    entries.push(mapDefinition(metadataId, directory, asDefinition(directory, definition)));
  }
  const ids = new Set(entries.map((entry) => entry.metadata.id));
  for (const classic of CLASSIC_OVERLAY) {
    if (ids.has(classic.metadata.id)) throw new Error(`Classic entry ${classic.metadata.id} clashes with the registry`);
    entries.push(structuredClone(classic));
  }
  return entries;
}

export interface CatalogFileSummary {
  path: string;
  version: string;
  entries: number;
  bytes: number;
}

/** Builds the catalog and writes `{package, version, entries}`; temp file + rename so readers never see half a file. */
export function writeCatalogFile(filePath: string): CatalogFileSummary {
  const version = installedActionDestinationsVersion();
  const entries = buildCatalogEntries();
  const json = JSON.stringify({ package: ACTION_DESTINATIONS_PACKAGE, version, entries });
  mkdirSync(path.dirname(filePath), { recursive: true });
  const tempPath = `${filePath}.${process.pid}.tmp`;
  writeFileSync(tempPath, json, 'utf8');
  renameSync(tempPath, filePath);
  return { path: filePath, version, entries: entries.length, bytes: Buffer.byteLength(json) };
}
