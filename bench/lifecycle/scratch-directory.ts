import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnExit } from './exit-guard.ts';

export interface ScratchDirectory {
  readonly path: string;
  remove(): void;
}

/** Holds the certificate, the wrk scripts and the server logs of one run; removed however the run ends. */
export function createScratchDirectory(): ScratchDirectory {
  const path = mkdtempSync(join(tmpdir(), 'kestrun-bench-'));
  const remove = (): void => rmSync(path, { recursive: true, force: true });
  const cancel = runOnExit(remove);
  return {
    path,
    remove: () => {
      cancel();
      remove();
    },
  };
}
