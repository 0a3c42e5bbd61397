/** The benchmark suites, in the order they run. Add a suite here (e.g. ./import.ts, ./tui.ts). */
import type {Suite} from '../lib/types.js';
import {parseSuite} from './parse.js';
import {previewSuite} from './preview.js';
import {importSuite} from './import.js';
import {tuiSuite} from './tui.js';

export const suites: Suite[] = [parseSuite, previewSuite, importSuite, tuiSuite];
