#!/usr/bin/env node
// The compiled CLI; `npm install` builds it (the prepare script runs tsc).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/run.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('pathwise is not built yet: run `npm run build` (npm install does it for you)\n');
  process.exit(1);
}
await import(entry.href);
