import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const qs = process.argv.slice(2);
for (const q of qs) {
  const r = await c.runAndReadAll(`SELECT json_serialize_sql($1::VARCHAR) AS j`, [q]);
  console.log(q, '\n', JSON.stringify(JSON.parse(String(r.getRowObjects()[0]!.j)), null, 1).slice(0, 6000));
}
