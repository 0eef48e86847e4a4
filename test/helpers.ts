import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type RunningServer, type ServeOptions, startServer } from '../src/server/index.js';

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = 'pathwise-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real server on 127.0.0.1, port 0, over a DuckDB file in dir. */
export async function startTestServer(
  db: string,
  options: Pick<ServeOptions, 'webRoot' | 'processDelayMs' | 'tiles'> = {},
): Promise<RunningServer & { writeKey: string; readKey: string }> {
  const server = await startServer({ db, port: 0, host: '127.0.0.1', ...options });
  if (!server.createdProject) {
    await server.close();
    throw new Error('the test database already had a default project');
  }
  return { ...server, writeKey: server.createdProject.writeKey, readKey: server.createdProject.readKey };
}

/** HTTP Basic with the write key as username, as Segment's clients send it. */
export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}

/** POSTs JSON (optionally gzipped) and returns status and parsed body. */
export async function post(
  url: string,
  body: unknown,
  options: {
    writeKey?: string;
    isGzipped?: boolean;
    rawBody?: string | Buffer;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = options.rawBody ?? JSON.stringify(body);
  const payload = options.isGzipped ? gzipSync(text) : text;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.writeKey) headers.authorization = basicAuth(options.writeKey);
  if (options.isGzipped) headers['content-encoding'] = 'gzip';
  const res = await fetch(url, { method: 'POST', headers, body: payload });
  const resText = await res.text();
  return { status: res.status, body: resText ? (JSON.parse(resText) as Record<string, unknown>) : {} };
}
