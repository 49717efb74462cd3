import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedUsers, withServices } from '../e2e/fixtures/users';
import { USERS_FILE } from '../src-main/core/users/user-store';

/** What the user-store benchmark measured, each next to a plain reference done in the same run. */
export interface StoreBenchResult {
  users: number;
  fileMb: number;
  loadMs: number;
  loadReferenceMs: number;
  editMedianMs: number;
  editP95Ms: number;
  editReferenceMs: number;
  keystrokeMedianMs: number;
  keystrokeMaxMs: number;
  keystrokeReferenceMs: number;
  firstSortMs: number;
  keystrokeAfterEditMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)]!;
const round = (n: number) => Math.round(n * 10) / 10;

async function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

/**
 * A store of `count` external users (the heaviest kind: each keeps its last-synced values too):
 * - load: opening the services (store, audit, users) vs a bare read + JSON.parse of the same snapshot;
 * - durable edit: one field through the handler (journal line + audit line, both fsync'd) vs a bare append + fdatasync;
 * - search keystrokes: typing and erasing "smith" in the list (sorted by full name, first 100 rows) vs Array.filter over the same users.
 */
export async function benchUserStore(count: number): Promise<StoreBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-bench-store-'));
  try {
    await seedUsers(dir, count, { externalEvery: 1 });
    const fileMb = round((await stat(join(dir, USERS_FILE))).size / 1e6);

    const loads: number[] = [];
    const references: number[] = [];
    let parsed: Array<{ username: string; fields: Record<string, string> }> = [];
    for (let i = 0; i < 3; i += 1) {
      const [ref, users] = await time(async () => JSON.parse(await readFile(join(dir, USERS_FILE), 'utf8')).users);
      references.push(ref);
      parsed = users;
      const [ms] = await time(() => withServices(dir, async () => undefined, 'bench'));
      loads.push(ms);
    }

    return await withServices(
      dir,
      async (call) => {
        const edits: number[] = [];
        for (let i = 0; i < 40; i += 1) {
          const [ms] = await time(() => call('users:update', { id: `u${String(1 + i).padStart(6, '0')}`, fields: { department: `Bench ${i}` } }));
          edits.push(ms);
        }
        const handle = await open(join(dir, 'bench-reference.log'), 'a');
        const line = `${JSON.stringify({ seq: 1, ops: [{ put: parsed[0] }] })}\n`;
        const refEdits: number[] = [];
        for (let i = 0; i < 40; i += 1) {
          const [ms] = await time(async () => {
            await handle.write(line);
            await handle.datasync();
          });
          refEdits.push(ms);
        }
        await handle.close();

        const sort = { column: 'displayName', direction: 'asc' } as const;
        const [firstSortMs] = await time(() => call('users:query', { query: { search: '', sort }, offset: 0, limit: 100 }));
        const keys = ['s', 'sm', 'smi', 'smit', 'smith', 'smit', 'smi', 'sm', 's', ''];
        const strokes: number[] = [];
        for (const search of keys) strokes.push((await time(() => call('users:query', { query: { search, sort }, offset: 0, limit: 100 })))[0]);
        const refStrokes: number[] = [];
        for (const search of keys) {
          const [ms] = await time(async () =>
            parsed.filter((u) =>
              `${u.username}\n${u.fields.displayName ?? ''}\n${u.fields.email ?? ''}\n${u.fields.department ?? ''}`.toLowerCase().includes(search),
            ),
          );
          refStrokes.push(ms);
        }
        await call('users:update', { id: 'u000100', fields: { department: 'Moved' } });
        const [afterEdit] = await time(() => call('users:query', { query: { search: 'smi', sort }, offset: 0, limit: 100 }));
        return {
          users: count,
          fileMb,
          loadMs: round(median(loads)),
          loadReferenceMs: round(median(references)),
          editMedianMs: round(median(edits)),
          editP95Ms: round(p95(edits)),
          editReferenceMs: round(median(refEdits)),
          keystrokeMedianMs: round(median(strokes)),
          keystrokeMaxMs: round(Math.max(...strokes)),
          keystrokeReferenceMs: round(median(refStrokes)),
          firstSortMs: round(firstSortMs),
          keystrokeAfterEditMs: round(afterEdit),
        };
      },
      'bench',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
