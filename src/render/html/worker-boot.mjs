// Boots a TypeScript worker: workers do not inherit the parent's tsx loader, so each registers
// it before importing its entry module (named in workerData.entry).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
