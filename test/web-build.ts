import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
/** Where `npm run build` puts the dashboard, and what `pathwise serve` serves. */
export const WEB_DIST = join(ROOT, 'dist', 'web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(path) : st.mtimeMs);
  }
  return newest;
}

/**
 * Builds the dashboard into dist/web when it is missing or older than a file of web/ (so the
 * browser tests never run against a stale build), and returns the folder.
 */
export function ensureWebBuild(): string {
  const index = join(WEB_DIST, 'index.html');
  const isFresh = existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(ROOT, 'web'));
  if (!isFresh) {
    execFileSync(
      join(ROOT, 'node_modules', '.bin', 'vite'),
      ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        // Vitest sets NODE_ENV=test, which would give React's development build: build what ships.
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }
  return WEB_DIST;
}

/** The flags the browser tests run Debian's Chromium with (never a downloaded browser). */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
} as const;
