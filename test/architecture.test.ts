import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/core/index.js';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** The dependency table of ARCHITECTURE.md ("Modules"); server and cli may use everything. */
const ALLOWED: Record<string, readonly string[] | 'all'> = {
  core: [],
  ingest: ['core', 'store'],
  identity: ['core', 'store'],
  store: ['core'],
  query: ['core', 'store'],
  sessions: ['core', 'store', 'query'],
  diagnose: ['query', 'stats', 'core'],
  stats: [],
  experiments: ['query', 'stats', 'core'],
  models: ['core'],
  clicks: ['core', 'store', 'query', 'models'],
  attribution: ['query', 'core'],
  triggers: ['core', 'ingest', 'store'],
  privacy: ['core', 'store'],
  sim: ['core'],
  server: 'all',
  cli: 'all',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function moduleOf(file: string): string | null {
  const rel = relative(SRC, file).split('/');
  return rel.length > 1 ? (rel[0] ?? null) : null;
}

describe('module boundaries (STYLE.md §1)', () => {
  const files = sourceFiles(SRC);

  it('imports another module only through its index.ts, and only modules the table allows', () => {
    const problems: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const spec = match[1] ?? match[2] ?? '';
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        const to = moduleOf(target);
        if (to === null || to === from) continue;
        const where = `${relative(SRC, file)} → ${spec}`;
        if (relative(join(SRC, to), target) !== 'index.js') problems.push(`deep import: ${where}`);
        const allowed = from === null ? 'all' : ALLOWED[from];
        if (allowed === undefined) problems.push(`module ${from} is not in the dependency table`);
        else if (allowed !== 'all' && !allowed.includes(to))
          problems.push(`${from} may not depend on ${to}: ${where}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps stats, models and attribution free of I/O', () => {
    const pure = files.filter((f) => ['stats', 'models', 'attribution'].includes(moduleOf(f) ?? ''));
    const offenders = pure.filter((f) =>
      /from ['"](node:fs|node:net|node:http|fastify|@duckdb)/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

describe('error codes (STYLE.md §4)', () => {
  it('documents every error code in README', () => {
    const readme = readFileSync(resolve(SRC, '..', 'README.md'), 'utf8');
    const missing = Object.keys(ERROR_CODES).filter((code) => !readme.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
