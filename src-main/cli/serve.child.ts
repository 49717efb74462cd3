import { processOutput, quietOnClosedPipe } from './output';
import { runWithServe } from './serve-testing';

// `roster serve` as a process of its own, for serve-command.test.ts: `node --import tsx serve.child.ts serve …`.
// SERVE_CHILD_RENDERER points it at a renderer folder (the tests' choice; the command's default is out/renderer).
for (const stream of [process.stdout, process.stderr]) quietOnClosedPipe(stream);
const rendererDir = process.env.SERVE_CHILD_RENDERER;
process.exitCode = await runWithServe(process.argv, processOutput, rendererDir ? { rendererDir } : {});
