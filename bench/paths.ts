import { fileURLToPath } from 'node:url';

export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RESULTS_DIRECTORY = fileURLToPath(new URL('./results/', import.meta.url));
