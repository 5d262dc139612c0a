// Build step: `node dist/cli/build-catalog.js [outDir]` writes the destination catalog file for the
// installed @segment/action-destinations version (default outDir: <package root>/.catalog). Also spawned
// by ensureCatalogFile() so loading every definition happens in a short-lived process, not the server.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeCatalogFile } from '../actions/catalog-builder.js';
import { catalogFilePath, defaultCatalogDir } from '../control/catalog/destination-catalog.js';

try {
  const outDir = path.resolve(process.argv[2] ?? defaultCatalogDir());
  const started = performance.now();
  const summary = writeCatalogFile(catalogFilePath(outDir));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  process.stdout.write(
    `catalog: ${summary.entries} destinations for @segment/action-destinations@${summary.version} ` +
      `→ ${summary.path} (${(summary.bytes / 1024 / 1024).toFixed(2)} MB, ${seconds} s)\n`,
  );
} catch (error) {
  process.stderr.write(`catalog build failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
