import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DirectoryCandidate } from '#shared/model/user';
import { CandidateTable, type CandidateColumn } from './CandidateTable';
import { ResyncCandidates } from './ResyncCandidates';

const candidates: DirectoryCandidate[] = [
  { dn: 'uid=a,ou=people,dc=x', username: 'a', displayName: 'A', email: 'a@x', enabled: true, externalId: 'id-a', match: 'id' },
  { dn: 'uid=b,ou=people,dc=x', username: 'b', displayName: 'B', email: '', enabled: false, externalId: 'id-b', match: 'username' },
  { dn: 'uid=c,ou=people,dc=x', username: 'c', displayName: 'C', email: 'c@x', enabled: false, externalId: 'id-c' },
];
const chosen = 'uid=b,ou=people,dc=x';
const noop = () => {};

// The markup each dialog's own table rendered before they shared CandidateTable (captured from them), which
// styles.css and the e2e specs (data-testid, radio names) rely on.
const RESYNC = [
  '<table class="candidates" aria-label="Matching directory entries"><thead><tr><th scope="col"><span class="visually-hidden">Choose</span></th><th scope="col">DN</th><th scope="col">Mail</th><th scope="col">Enabled in directory</th><th scope="col">External id</th><th scope="col">Matched by</th></tr></thead><tbody>',
  '<tr class="candidates__row" data-testid="resync-candidate" data-match="id"><td><input type="radio" aria-label="uid=a,ou=people,dc=x" name="resync-candidate"/></td><td class="mono candidates__dn">uid=a,ou=people,dc=x</td><td>a@x</td><td>Yes</td><td class="mono candidates__id" title="id-a">id-a</td><td>same id</td></tr>',
  '<tr class="candidates__row candidates__row--chosen" data-testid="resync-candidate" data-match="username"><td><input type="radio" aria-label="uid=b,ou=people,dc=x" name="resync-candidate" checked=""/></td><td class="mono candidates__dn">uid=b,ou=people,dc=x</td><td><span class="muted">—</span></td><td><span class="pill pill--login-off">No</span></td><td class="mono candidates__id" title="id-b">id-b</td><td>same username</td></tr>',
  '<tr class="candidates__row" data-testid="resync-candidate"><td><input type="radio" aria-label="uid=c,ou=people,dc=x" name="resync-candidate"/></td><td class="mono candidates__dn">uid=c,ou=people,dc=x</td><td>c@x</td><td><span class="pill pill--login-off">No</span></td><td class="mono candidates__id" title="id-c">id-c</td><td><span class="muted">—</span></td></tr>',
  '</tbody></table>',
].join('');

const CONVERT = [
  '<table class="candidates" aria-label="Directory entries found"><thead><tr><th scope="col"><span class="visually-hidden">Choose</span></th><th scope="col">DN</th><th scope="col">Username</th><th scope="col">Email</th><th scope="col">Enabled</th><th scope="col">Id</th></tr></thead><tbody>',
  '<tr class="candidates__row" data-testid="directory-candidate"><td><input type="radio" aria-label="uid=a,ou=people,dc=x" name="convert-candidate"/></td><td class="mono candidates__dn">uid=a,ou=people,dc=x</td><td>a</td><td>a@x</td><td>Yes</td><td class="mono candidates__id" title="id-a">id-a</td></tr>',
  '<tr class="candidates__row candidates__row--chosen" data-testid="directory-candidate"><td><input type="radio" aria-label="uid=b,ou=people,dc=x" name="convert-candidate" checked=""/></td><td class="mono candidates__dn">uid=b,ou=people,dc=x</td><td>b</td><td><span class="muted">—</span></td><td>No</td><td class="mono candidates__id" title="id-b">id-b</td></tr>',
  '<tr class="candidates__row" data-testid="directory-candidate"><td><input type="radio" aria-label="uid=c,ou=people,dc=x" name="convert-candidate"/></td><td class="mono candidates__dn">uid=c,ou=people,dc=x</td><td>c</td><td>c@x</td><td>No</td><td class="mono candidates__id" title="id-c">id-c</td></tr>',
  '</tbody></table>',
].join('');

// As ConvertToExternalDialog passes them.
const CONVERT_COLUMNS: readonly CandidateColumn[] = [
  { cell: 'username', header: 'Username' },
  { cell: 'email', header: 'Email' },
  { cell: 'enabled', header: 'Enabled' },
  { cell: 'externalId', header: 'Id' },
];

describe('CandidateTable', () => {
  it("renders the Resync dialog's candidates as before: match column and data-match, No in a pill", () => {
    expect(renderToStaticMarkup(createElement(ResyncCandidates, { candidates, chosen, disabled: false, onChoose: noop }))).toBe(RESYNC);
  });

  it('disables every radio while the Resync dialog works, and only then', () => {
    const html = renderToStaticMarkup(createElement(ResyncCandidates, { candidates, chosen, disabled: true, onChoose: noop }));
    expect(html.match(/disabled=""/g)).toHaveLength(3);
    expect(html.replaceAll(' disabled=""', '')).toBe(RESYNC);
  });

  it("renders Convert to external's entries found as before: username column, plain No, no data-match", () => {
    const props = { candidates, chosen, onChoose: noop, label: 'Directory entries found', radioName: 'convert-candidate', rowTestId: 'directory-candidate', columns: CONVERT_COLUMNS };
    expect(renderToStaticMarkup(createElement(CandidateTable, props))).toBe(CONVERT);
  });
});
