// npm's postinstall for Roster itself. When Electron's binary could not be downloaded, says so in one line and, if
// npm removed the optional electron package after its failed download, puts the package back without the binary.
// Never fails the install: `npm start` then opens Roster in the browser (see scripts/start.mjs).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronStatus, noticeLine, restoreElectronPackage } from './electron-status.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const status = electronStatus(root);
if (status.state === 'no-package') {
  try {
    await restoreElectronPackage(root, status);
  } catch (error) {
    console.log(
      `Roster: no Electron binary (${status.reason}), and the electron package could not be put back (${error.message}); ` +
        'typecheck and build need it: run `npm install` again once npm can reach its registry.',
    );
    process.exit(0);
  }
}
if (status.state !== 'ready') console.log(noticeLine(status));
