// vitest globalSetup: runs once in the main vitest process before any test file.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeCatalogFile } from '../src/actions/catalog-builder.js';
import { catalogFilePath, defaultCatalogDir } from '../src/control/catalog/destination-catalog.js';

// Sources whose edits change the catalog content without changing the package version.
const CATALOG_SOURCES = [
  '../src/actions/catalog-builder.ts',
  '../src/actions/stable-id.ts',
  '../src/control/catalog/classic-overlay.ts',
].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));

/**
 * Builds `<repo>/.catalog/destinations-catalog-<version>.json` when it is missing or older than the
 * code that generates it. In-process is fine here: this process only orchestrates test workers.
 */
export function ensureTestCatalogFile(): string {
  const filePath = catalogFilePath(defaultCatalogDir());
  const builtAt = existsSync(filePath) ? statSync(filePath).mtimeMs : 0;
  if (CATALOG_SOURCES.some((source) => statSync(source).mtimeMs > builtAt)) writeCatalogFile(filePath);
  return filePath;
}

export default function setup(): void {
  ensureTestCatalogFile();
}
