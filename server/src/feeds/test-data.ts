import { fileURLToPath } from 'node:url';

/** A file of the reference data (`../shared/data` beside the repository); never copied in. */
export const sharedData = (path: string) => fileURLToPath(new URL(`../../../../shared/data/${path}`, import.meta.url));
