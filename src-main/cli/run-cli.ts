import { main } from './main';

/** Runs the CLI in-process against a data folder and captures what it prints (for tests). */
export async function runCli(dataDir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'roster', ...args, '--data-dir', dataDir], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
