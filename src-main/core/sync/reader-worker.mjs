// Starts the reader worker from TypeScript source (the CLI, roster serve, tests and benchmarks run Roster through
// tsx): registers tsx in this thread, then loads the worker. Bundled builds start a bundled reader-worker instead.
import { register } from 'tsx/esm/api';

register();
await import('./reader-worker.ts');
