/* eslint-disable no-control-regex -- control characters are exactly what this is about */
/**
 * Characters that would act rather than show inside a one-line message: C0 and C1 controls (including TAB,
 * LF, CR and ESC, which starts terminal escape sequences), DEL, the line and paragraph separators, and the
 * bidirectional marks, embeddings, overrides and isolates (which reorder the text around them on screen).
 */
const INVISIBLE = /[\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u2028-\u202E\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

/**
 * A DN with each character of INVISIBLE written as RFC 4514 hex pairs of its UTF-8 bytes (ESC as `\1b`, U+202E
 * as `\e2\80\ae`): the same name to LDAP and to `normalizeDn`, but one that shows as what it is wherever it
 * appears (messages, the window, the CLI, exports).
 */
export function dnWithVisibleEscapes(dn: string): string {
  return dn.replace(INVISIBLE, (c) => [...Buffer.from(c, 'utf8')].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join(''));
}

/**
 * Text from a file as a message may show it: every character that could forge a terminal's or a window's
 * output (see INVISIBLE) written as an escape instead, `\x1b` below U+0100 and `\u202e` above.
 */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
