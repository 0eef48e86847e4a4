// The executable entry: bin/pathwise.js imports the compiled copy of this file.
import { main } from './main.js';

await main();
