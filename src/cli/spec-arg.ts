import { existsSync, readFileSync } from 'node:fs';
import { PathwiseError } from '../core/index.js';

/** The --spec argument: inline JSON when it looks like an object, else a file path. */
export function readSpec(arg: string): unknown {
  const text = arg.trimStart().startsWith('{') ? arg : existsSync(arg) ? readFileSync(arg, 'utf8') : null;
  if (text === null) throw new PathwiseError('PW_IMPORT_FILE_NOT_FOUND', { file: arg });
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: `not JSON: ${(err as Error).message}` });
  }
}
