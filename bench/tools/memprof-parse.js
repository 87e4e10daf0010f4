// Child process: memprof's parser alone (used while the analysis is not built).
import { readSnapshotFile } from '../../dist/io/read-snapshot.js';

const raw = await readSnapshotFile(process.argv[2]);
process.stdout.write(JSON.stringify({ nodes: raw.nodeCount, edges: raw.edgeCount, strings: raw.strings.length }) + '\n');
