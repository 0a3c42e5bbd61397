import type {FormatReader} from '../types.js';
import {csvReader} from './csv.js';
import {jsonReader} from './json.js';
import {jsonlReader} from './jsonl.js';

/** Readers owned by this group; ../registry.ts concatenates all groups. */
export const readers: FormatReader[] = [jsonReader, jsonlReader, csvReader];
