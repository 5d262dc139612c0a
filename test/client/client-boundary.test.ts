// switchyard/client must stand alone: its modules import only each other (no server code, no packages, not even
// node: builtins, so it runs wherever fetch does), and the package exports it as `switchyard/client`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIR = path.join(ROOT, 'src/client');
const DIST_DIR = path.join(ROOT, 'dist/client');

/** Every module specifier of `import … from`, `export … from`, `import(…)` and bare `import '…'`. */
function specifiersOf(code: string): string[] {
  const patterns = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s*['"]([^'"]+)['"]/gm, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]!));
}

function expectSelfContained(dir: string, extension: string): void {
  const files = readdirSync(dir).filter((name) => name.endsWith(extension));
  expect(files.length).toBeGreaterThanOrEqual(5);
  for (const file of files) {
    for (const specifier of specifiersOf(readFileSync(path.join(dir, file), 'utf8'))) {
      expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\/[\w-]+\.js$/);
      const target = path.join(dir, specifier.replace(/\.js$/, extension === '.ts' ? '.ts' : '.js'));
      expect(existsSync(target), `${file} imports ${specifier}, which is not in ${dir}`).toBe(true);
    }
  }
}

describe('switchyard/client boundary', () => {
  it('the sources import nothing outside src/client', () => {
    expectSelfContained(SOURCE_DIR, '.ts');
    // The check itself sees imports of every form.
    expect(specifiersOf(`import a from '../x.js';\nexport { b } from "y";\nconst c = await import('z');\nimport 'side';`)).toEqual(['../x.js', 'y', 'z', 'side']);
  });

  it('the compiled modules import nothing outside dist/client', () => {
    if (!existsSync(DIST_DIR)) throw new Error('dist/client is missing: run `npm run build` before this suite (npm test does)');
    expectSelfContained(DIST_DIR, '.js');
  });

  it('is exported as switchyard/client with its types, and loads in a bare Node process', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; bin: unknown };
    expect(manifest.exports['./client']).toEqual({ types: './dist/client/index.d.ts', import: './dist/client/index.js' });
    expect(manifest.bin).toEqual({ switchyard: 'bin/switchyard.js' });
    expect(existsSync(path.join(ROOT, 'dist/client/index.d.ts'))).toBe(true);
    // Package self-reference resolves through the exports map, as an installed dependency would.
    const script = "const m = await import('switchyard/client'); console.log(Object.keys(m).sort().join(','));";
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(output.trim()).toBe('SwitchyardApiError,SwitchyardNetworkError,createClient,paginate,parseRetryAfter');
  });
});
