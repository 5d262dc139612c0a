// Wire shapes of the catalog (public-api.md §2, §6.3). Field names are the API's, exactly.

export interface IntegrationOption {
  name: string;
  type: string;
  required: boolean;
  description: string;
  defaultValue: unknown;
  label: string;
}

export interface ActionField {
  id: string;
  sortOrder: number;
  fieldKey: string;
  label: string;
  type: 'BOOLEAN' | 'DATETIME' | 'HIDDEN' | 'INTEGER' | 'NUMBER' | 'OBJECT' | 'PASSWORD' | 'STRING' | 'TEXT';
  description: string;
  required: boolean;
  multiple: boolean;
  dynamic: boolean;
  allowNull: boolean;
  defaultValue: unknown;
  choices: unknown[] | null;
}

export interface DestinationAction {
  id: string;
  slug: string;
  name: string;
  description: string;
  platform: 'CLOUD' | 'MOBILE' | 'WEB';
  hidden: boolean;
  defaultTrigger: string | null;
  fields: ActionField[];
}

export interface SubscriptionPreset {
  actionId: string;
  name: string;
  trigger: string;
  fields: Record<string, unknown>;
}

export interface DestinationMetadata {
  id: string;
  name: string;
  slug: string;
  description: string;
  website: string;
  status: string;
  categories: string[];
  previousNames: string[];
  logos: { default: string; mark?: string | null; alt?: string };
  options: IntegrationOption[];
  components: { type: string; owner: string; code: string }[];
  supportedFeatures: Record<string, unknown>;
  supportedMethods: Record<string, boolean>;
  supportedPlatforms: Record<string, boolean>;
  actions: DestinationAction[];
  presets: SubscriptionPreset[];
  contacts: { name?: string; email: string; role?: string; isPrimary?: boolean }[];
  partnerOwned: boolean;
  supportedRegions: string[];
  regionEndpoints: string[];
}

/** One catalog entry as the server holds it: the wire object plus what only we need. */
export interface CatalogEntryFile {
  metadata: DestinationMetadata;
  /** Option names the API never lets a client change (classic overlay only). */
  readOnlyOptions: string[];
  /** Directory under @segment/action-destinations/dist/destinations, or null for classic entries. */
  runtimeDirectory: string | null;
  /** Allowed values per option that declares choices (settings type check, §3); not part of the wire shape. */
  optionChoices?: Record<string, unknown[]>;
}

export interface SourceMetadata {
  id: string;
  slug: string;
  name: string;
  description: string;
  categories: string[];
  logos: { default: string };
  options: unknown[];
  isCloudEventSource: boolean;
}
