/** The `pathwise` command line. */
export { buildProgram, main } from './main.js';
