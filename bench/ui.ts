import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../e2e/fixtures/app';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { UiServerData } from './ui-server.worker';

/** One keystroke of the search: the text after it, and input event → its rows painted. */
export interface KeystrokeTiming {
  search: string;
  ms: number;
  /** Of which: the input event → its answer fully received, and request sent → first byte (main's work). */
  answeredMs: number;
  serverMs: number;
}

/** What the UI benchmark measured in the page (performance marks and frame timings, not polling). */
export interface UiBenchResult {
  users: number;
  /** Navigation start → the first rows painted: the first load after the server opened the store, then reloads. */
  loadMs: number[];
  /** The first load: DOMContentLoaded, and each file and call (start, main's time to first byte, end), ms from navigation. */
  firstLoad: { domContentLoaded: number; files: Array<{ name: string; start: number; server: number; end: number }> };
  /** Click on "Full name" → rows painted in that order (the first sort by a column since the store opened). */
  sortMs: number;
  /** Each keystroke of typing and erasing "smith" (sorted by full name), every round. */
  keystrokes: KeystrokeTiming[];
  keystrokeMedianMs: number;
  keystrokeMaxMs: number;
  /** The same-run reference: the cheapest call (app:info) from the page and back, then the next frame painted. */
  floorMedianMs: number;
  floorMaxMs: number;
  /** The longest first letter ("" → "s") over the rounds. */
  firstLetterMaxMs: number;
  /** One screen further on every animation frame, for `screens` screens. */
  scroll: {
    screens: number;
    frames: number;
    /** The longest gap between two animation frames while scrolling. */
    longestFrameMs: number;
    framesOver50: number;
    /** Frames that showed placeholder rows (their block not fetched yet). */
    framesWithPlaceholders: number;
    /** The last scroll step → every row on screen filled in. */
    settleMs: number;
    /** Chromium's long animation frames (≥ 50 ms of work) during the scroll. */
    longAnimationFrames: number;
  };
  /** Double-click on a row → the user's detail painted, for several users. */
  openMs: number[];
  openMedianMs: number;
}

const ROOT = join(import.meta.dirname, '..');
const RENDERER = join(ROOT, 'out/renderer');
const CHROMIUM = process.env.ROSTER_CHROMIUM ?? '/usr/bin/chromium';
const ROUNDS = 3;
/** A person's pause between keystrokes (the bench waits for each answer to be painted first). */
const TYPING_GAP_MS = 120;

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink.user_timing',
  'disabled-by-default-v8.cpu_profiler',
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const round = (n: number) => Math.round(n * 10) / 10;
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The newest modification time of any file under `dir`. */
async function newest(dir: string): Promise<number> {
  let latest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return latest;
}

/** Builds the app when out/renderer is missing or older than the renderer's or shared sources. */
async function ensureBuilt(): Promise<void> {
  const built = await stat(join(RENDERER, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = Math.max(await newest(join(ROOT, 'src-renderer')), await newest(join(ROOT, 'src-shared')));
  if (built > sources) return;
  process.stdout.write('ui bench: building the renderer (npm run build)…\n');
  const run = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error('npm run build failed');
}

/**
 * Runs in the page before its scripts: records every performance mark and long animation frame, stamps the
 * input and double-click events (their own timestamps, so the time includes dispatch), marks the paint after
 * a user's detail appears, and lets the bench wait for a mark without polling.
 */
const PAGE_PROBE = `(() => {
  const marks = [];
  const waiters = [];
  const matches = (mark, want) =>
    mark.name === want.name && mark.startTime >= want.after && Object.entries(want.detail || {}).every(([k, v]) => mark.detail && mark.detail[k] === v);
  const settle = () => {
    for (const waiter of [...waiters]) {
      const found = marks.find((m) => matches(m, waiter.want));
      if (found) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve({ name: found.name, startTime: found.startTime, detail: found.detail });
      }
    }
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) marks.push(entry);
    settle();
  }).observe({ type: 'mark', buffered: true });
  const loafs = [];
  try {
    new PerformanceObserver((list) => loafs.push(...list.getEntries())).observe({ type: 'long-animation-frame', buffered: true });
  } catch (error) {
    // An older Chromium: frame gaps are still measured.
  }
  const afterPaint = (name) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => performance.mark(name);
      channel.port2.postMessage(null);
    });
  document.addEventListener('input', (e) => performance.mark('bench:input', { startTime: e.timeStamp, detail: { value: e.target.value } }), true);
  document.addEventListener('dblclick', (e) => performance.mark('bench:open', { startTime: e.timeStamp }), true);
  let detailShown = false;
  new MutationObserver(() => {
    const shown = document.querySelector('[data-testid="user-detail"]') !== null;
    if (shown && !detailShown) afterPaint('bench:detail-painted');
    detailShown = shown;
  }).observe(document, { childList: true, subtree: true });
  // One screen further on every animation frame: each frame's gap, frames showing placeholder rows, then the
  // time until every row on screen is filled in, and Chromium's long animation frames meanwhile.
  const scroll = async (screens) => {
    const grid = document.querySelector('[data-testid="user-grid"]');
    const started = performance.now();
    const gaps = [];
    let withPlaceholders = 0;
    const nextFrame = () => new Promise((done) => requestAnimationFrame(done));
    let last = await nextFrame();
    for (let step = 0; step < screens; step += 1) {
      grid.scrollTop += grid.clientHeight;
      const time = await nextFrame();
      gaps.push(time - last);
      last = time;
      if (grid.querySelector('.user-row--loading')) withPlaceholders += 1;
    }
    const stopped = performance.now();
    let settled = stopped;
    while (grid.querySelector('.user-row--loading')) {
      await nextFrame();
      settled = performance.now();
    }
    const long = loafs.filter((l) => l.startTime >= started && l.duration >= 50).length;
    return { gaps, withPlaceholders, settleMs: settled - stopped, loafs: long };
  };
  // The list's answers as the network saw them: request sent -> first byte (main's time) -> last byte.
  const answers = (after) =>
    performance
      .getEntriesByType('resource')
      .filter((r) => r.name.includes('/__rpc/users%3Aquery') && r.startTime >= after)
      .map((r) => ({ start: r.startTime, server: r.responseStart - r.requestStart, end: r.responseEnd }));
  // Where a load's time went: the page, its files and every call, in order.
  const timeline = () => {
    const nav = performance.getEntriesByType('navigation')[0];
    const files = performance.getEntriesByType('resource').map((r) => ({
      name: decodeURIComponent(new URL(r.name).pathname.replace('/__rpc/', '')),
      start: Math.round(r.startTime),
      server: Math.round(r.responseStart - r.requestStart),
      end: Math.round(r.responseEnd),
    }));
    return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), files };
  };
  // The floor for a keystroke through this transport, measured in the same page: the cheapest call
  // (app:info) there and back, then the next frame painted.
  const floor = async () => {
    const started = performance.now();
    await window.roster.invoke('app:info', {});
    await new Promise((done) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = done;
        channel.port2.postMessage(null);
      }),
    );
    return performance.now() - started;
  };
  window.__bench = {
    floor,
    scroll,
    answers,
    timeline,
    next: (want) => new Promise((resolve) => { waiters.push({ want: { after: 0, ...want }, resolve }); settle(); }),
  };
})();`;

interface Mark {
  name: string;
  startTime: number;
  detail?: { search?: string; total?: number; column?: string };
}

interface BenchWindow {
  __bench: {
    next(want: { name: string; after?: number; detail?: Record<string, unknown> }): Promise<Mark>;
    floor(): Promise<number>;
    scroll(screens: number): Promise<{ gaps: number[]; withPlaceholders: number; settleMs: number; loafs: number }>;
    answers(after: number): Array<{ start: number; server: number; end: number }>;
    timeline(): { domContentLoaded: number; files: Array<{ name: string; start: number; server: number; end: number }> };
  };
}

const nextMark = (page: Page, name: string, after = 0, detail?: Record<string, unknown>) =>
  page.evaluate(({ name, after, detail }) => (globalThis as unknown as BenchWindow).__bench.next({ name, after, ...(detail ? { detail } : {}) }), {
    name,
    after,
    detail,
  });

/**
 * Seeds `count` users and serves the built renderer from a worker thread (bench/ui-server.worker.ts), so
 * main's answers do not wait behind the Playwright driver's work in this thread.
 */
async function startServerThread(data: UiServerData): Promise<{ appUrl: string; close(): Promise<void> }> {
  // A worker does not inherit tsx's loader: it registers it, then loads the TypeScript.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => {
    register();
    return import(${JSON.stringify(new URL('./ui-server.worker.ts', import.meta.url).href)});
  });`;
  const worker = new Worker(boot, { eval: true, workerData: data });
  const [started] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([error]) => Promise.reject(error))])) as [{ appUrl: string }];
  return {
    appUrl: started.appUrl,
    close: async () => {
      worker.postMessage('close');
      await once(worker, 'message');
      await worker.terminate();
    },
  };
}

/**
 * The served UI (src-main/web, the built renderer) in Debian's Chromium over a data folder of `count`
 * external users: page load → first rows painted; typing and erasing "smith" in the search box (sorted by
 * full name) → each keystroke's rows painted; 100 screens of scrolling (one per frame) → longest frame;
 * double-click on a user → the detail painted. Every time is taken inside the page.
 */
export async function benchUi(count: number): Promise<UiBenchResult> {
  await ensureBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'roster-bench-ui-'));
  const server = await startServerThread({ dataDir: dir, count, rendererDir: RENDERER });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    await context.addInitScript({ content: PAGE_PROBE });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    // Load: the first one right after the store opened, then reloads (the token stays in sessionStorage).
    const loadMs: number[] = [];
    let firstLoad: UiBenchResult['firstLoad'] | undefined;
    const tracePhase = process.env.ROSTER_BENCH_TRACE_PHASE ?? 'keys';
    const loadTrace = tracePhase === 'load' ? process.env.ROSTER_BENCH_TRACE : undefined;
    for (let i = 0; i < 4; i += 1) {
      if (loadTrace && i === 0) await browser.startTracing(page, { path: loadTrace, categories: TRACE_CATEGORIES });
      if (i === 0) await page.goto(server.appUrl);
      else await page.reload();
      const painted = await nextMark(page, 'roster:rows-painted');
      if (loadTrace && i === 0) await browser.stopTracing();
      if (painted.detail?.total !== count) throw new Error(`The list showed ${painted.detail?.total} users, not ${count}.`);
      loadMs.push(round(painted.startTime));
      firstLoad ??= await page.evaluate(() => (globalThis as unknown as BenchWindow).__bench.timeline());
    }

    // Sort by full name (the keystrokes below are timed in that order).
    let after = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Full name' }).click();
    const sortMs = round((await nextMark(page, 'roster:rows-painted', after, { column: 'displayName' })).startTime - after);

    const search = page.getByLabel('Search users');
    await search.focus();
    const keystrokes: KeystrokeTiming[] = [];
    const keys = [...'smith', ...Array<string>(5).fill('Backspace')];
    // ROSTER_BENCH_TRACE=FILE records a Chromium trace (timeline and JavaScript samples) of the first round of
    // keystrokes, or with ROSTER_BENCH_TRACE_PHASE=scroll of the scrolling, =load of the first load.
    const trace = tracePhase === 'keys' ? process.env.ROSTER_BENCH_TRACE : undefined;
    for (let r = 0; r < ROUNDS; r += 1) {
      if (trace && r === 0) await browser.startTracing(page, { path: trace, categories: TRACE_CATEGORIES });
      let text = '';
      for (const key of keys) {
        text = key === 'Backspace' ? text.slice(0, -1) : text + key;
        after = await page.evaluate(() => performance.now());
        await page.keyboard.press(key);
        const input = await nextMark(page, 'bench:input', after, { value: text });
        const painted = await nextMark(page, 'roster:rows-painted', input.startTime, { search: text });
        const answer = (await page.evaluate((after) => (globalThis as unknown as BenchWindow).__bench.answers(after), input.startTime))
          .filter((a) => a.end <= painted.startTime)
          .at(-1);
        keystrokes.push({
          search: text,
          ms: round(painted.startTime - input.startTime),
          answeredMs: round((answer?.end ?? NaN) - input.startTime),
          serverMs: round(answer?.server ?? NaN),
        });
        await pause(TYPING_GAP_MS);
      }
      if (trace && r === 0) await browser.stopTracing();
    }

    // The reference: as many bare calls + paints as keystrokes, each after the same pause.
    const floors: number[] = [];
    for (let i = 0; i < keystrokes.length; i += 1) {
      floors.push(await page.evaluate(() => (globalThis as unknown as BenchWindow).__bench.floor()));
      await pause(TYPING_GAP_MS);
    }

    // Scroll 100 screens through everyone, sorted by full name.
    const scrollTrace = tracePhase === 'scroll' ? process.env.ROSTER_BENCH_TRACE : undefined;
    if (scrollTrace) await browser.startTracing(page, { path: scrollTrace, categories: TRACE_CATEGORIES });
    const raw = await page.evaluate((screens) => (globalThis as unknown as BenchWindow).__bench.scroll(screens), 100);
    if (scrollTrace) await browser.stopTracing();

    // Open users: double-click a row, then back to the list.
    const openMs: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      after = await page.evaluate(() => performance.now());
      await page
        .getByTestId('user-row')
        .nth(2 + i)
        .dblclick();
      const opened = await nextMark(page, 'bench:open', after);
      const painted = await nextMark(page, 'bench:detail-painted', opened.startTime);
      openMs.push(round(painted.startTime - opened.startTime));
      await page.getByRole('button', { name: 'Back to users' }).click();
      await page
        .getByTestId('user-row')
        .nth(2 + i + 1)
        .waitFor();
      await pause(TYPING_GAP_MS);
    }
    if (errors.length) throw new Error(`The renderer raised: ${errors.join(' | ')}`);

    const strokes = keystrokes.map((k) => k.ms);
    return {
      users: count,
      loadMs,
      firstLoad: firstLoad as UiBenchResult['firstLoad'],
      sortMs,
      keystrokes,
      keystrokeMedianMs: round(median(strokes)),
      keystrokeMaxMs: round(Math.max(...strokes)),
      floorMedianMs: round(median(floors)),
      floorMaxMs: round(Math.max(...floors)),
      firstLetterMaxMs: round(Math.max(...keystrokes.filter((_, i) => i % keys.length === 0).map((k) => k.ms))),
      scroll: {
        screens: 100,
        frames: raw.gaps.length,
        longestFrameMs: round(Math.max(...raw.gaps)),
        framesOver50: raw.gaps.filter((g) => g > 50).length,
        framesWithPlaceholders: raw.withPlaceholders,
        settleMs: round(raw.settleMs),
        longAnimationFrames: raw.loafs,
      },
      openMs,
      openMedianMs: round(median(openMs)),
    };
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
