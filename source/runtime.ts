/**
 * V8 settings the CLI applies before it does anything (the benchmarks apply them too, bench/child.ts).
 *
 * Allocation-site pretenuring off: V8 may decide, from one scavenge that found most young objects of an allocation
 * site alive, to allocate that site's objects straight into the old generation. On a streaming read of a big file
 * (millions of short-lived rows and messages) that decision misfires now and then: the old generation then fills
 * with garbage until a full collection, and the preview of a 1 M-message JSONL file peaked at 350–370 MB RSS in
 * about one run of three instead of ~235 MB (live heap under 60 MB either way). With it off: 0 such runs in 27,
 * the same speed (measured with bench/child.js preview:first-page and parse:validate).
 */
import {setFlagsFromString} from 'node:v8';

export function tuneRuntime(): void {
	setFlagsFromString('--no-allocation-site-pretenuring');
}
