#!/usr/bin/env node
// The `roster` command: runs the TypeScript CLI from source through tsx, so it is never stale.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv);
