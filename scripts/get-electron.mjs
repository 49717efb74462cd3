// `npm run get-electron`: tries again to download Electron's binary, after a mirror or proxy was set (see the README):
// removes the electron package that postinstall put back without its binary, and lets npm install it again, which
// runs Electron's own download with this environment. npm's record of node_modules (.package-lock.json) goes too, or
// npm would trust it and not notice the package is gone.
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronStatus, runNpm } from './electron-status.mjs';

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
rmSync(join(root, 'node_modules', '.package-lock.json'), { force: true });
const install = runNpm(['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
const after = electronStatus(root);
if (install.status === 0 && after.state === 'ready') {
  console.log(`Electron ${after.version} is installed (${after.binary}): \`npm start\` opens the desktop window.`);
  process.exit(0);
}
console.error(
  after.state === 'ready'
    ? '`npm install` failed; see above.'
    : `Electron's binary still could not be downloaded (${after.reason}); check the mirror or proxy settings named above, or set ELECTRON_OVERRIDE_DIST_PATH.`,
);
process.exit(1);
