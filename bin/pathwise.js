#!/usr/bin/env node
// The compiled CLI; `npm install` builds it (the prepare script).
import { main } from '../dist/src/cli/index.js';

await main();
