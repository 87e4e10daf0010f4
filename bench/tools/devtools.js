// Child process: Chrome DevTools' own heap snapshot code (heap-snapshot-toolkit): load, then
// the Summary view's aggregates (classes with count, self and retained size).
import { createReadStream } from 'node:fs';
import { DevToolsAPI, parse } from 'heap-snapshot-toolkit';

const snapshot = await parse(createReadStream(process.argv[2], 'utf-8'));
const aggregates = snapshot.aggregatesWithFilter(new DevToolsAPI.HeapSnapshotModel.NodeFilter());
const rows = Object.values(aggregates).sort((a, b) => b.maxRet - a.maxRet);
process.stdout.write(JSON.stringify({ classes: rows.length, top: rows[0] ? { name: rows[0].name, retainedSize: rows[0].maxRet } : null }) + '\n');
