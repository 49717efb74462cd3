import { RosterError } from '#shared/result';

/** What an errno means to the person at the desk, and what they can do about it. */
const CAUSES: Record<string, { cause: string; advice: string }> = {
  ENOSPC: { cause: 'the disk is full', advice: 'Free some space on that disk, then try again.' },
  EDQUOT: { cause: 'your disk quota is used up', advice: 'Free some space (or ask for a larger quota), then try again.' },
  EROFS: {
    cause: 'the disk is read-only',
    advice: 'Make the folder writable again (or choose another data folder with --data-dir), then try again.',
  },
  EACCES: {
    cause: 'permission denied',
    advice: 'Check that your account may write to that folder and its files, then try again.',
  },
  EPERM: {
    cause: 'the operation is not permitted (the folder or its files are read-only, immutable or owned by someone else)',
    advice: 'Check the permissions and flags of that folder and its files, then try again.',
  },
  EIO: { cause: 'the disk reported an input/output error', advice: 'Check the disk, then try again.' },
  ENOENT: { cause: 'the folder is gone', advice: 'Check that the folder (or the disk holding it) is still there, then try again.' },
  EMFILE: { cause: 'too many files are open', advice: 'Close some programs, then try again.' },
};

/** The errno code of a file-system error, or undefined for anything else. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** "the disk is full (ENOSPC)": the cause in words, with the code for whoever searches for it. */
export function describeCause(error: unknown): string {
  const code = errnoCode(error);
  if (!code) return (error as Error)?.message ?? String(error);
  return `${CAUSES[code]?.cause ?? (error as Error).message} (${code})`;
}

/**
 * An `io` error for a failed write in the data folder: names the folder, the cause in words, what happened
 * to the change, and what to do. Errors that are not file-system errors are returned unchanged.
 */
export function ioError(error: unknown, folder: string, doing: string, outcome: string): unknown {
  if (error instanceof RosterError) return error;
  const code = errnoCode(error);
  if (!code) return error;
  const advice = CAUSES[code]?.advice ?? 'Check the disk and the folder, then try again.';
  return new RosterError('io', `Roster could not ${doing} in its data folder ${folder}: ${describeCause(error)}. ${outcome} ${advice}`, {
    folder,
    cause: code,
  });
}
