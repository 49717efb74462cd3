// `npm run get-electron`: tries again to download Electron's binary, after a mirror or proxy was set (see the README):
// removes the electron package that postinstall put back without its binary, and lets npm install it again, which
// runs Electron's own download with this environment.
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronStatus, noticeLine, runNpm } from './electron-status.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const before = electronStatus(root);
if (before.state === 'ready') {
  console.log(`Electron ${before.version} is installed (${before.binary}): \`npm start\` opens the desktop window.`);
  process.exit(0);
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.error('ELECTRON_SKIP_BINARY_DOWNLOAD is set, so nothing would be downloaded: unset it and run `npm run get-electron` again.');
  process.exit(1);
}
rmSync(before.dir, { recursive: true, force: true });
const install = runNpm(['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
const after = electronStatus(root);
if (install.status === 0 && after.state === 'ready') {
  console.log(`Electron ${after.version} is installed (${after.binary}): \`npm start\` opens the desktop window.`);
  process.exit(0);
}
console.error(after.state === 'ready' ? '`npm install` failed; see above.' : noticeLine(after));
process.exit(1);
