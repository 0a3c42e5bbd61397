import type {FormatReader} from '../types.js';

/** Readers owned by this group; ../registry.ts concatenates all groups. */
export const readers: FormatReader[] = [];
