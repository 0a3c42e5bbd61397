/**
 * State that key handlers read through `get()`: Ink hands keys to the handler of the last frame, and keys can come
 * faster than React re-renders (a paste, a held key, a loaded machine), so a handler reading the rendered value
 * would act on a stale one (a move that has not shown yet, a mode switch still pending).
 */
import {useRef, useState} from 'react';

export function useKeyState<T>(initial: T): [value: T, set: (next: T) => void, get: () => T] {
	const [value, show] = useState(initial);
	const latest = useRef(initial);
	const set = (next: T) => {
		latest.current = next;
		show(next);
	};
	return [value, set, () => latest.current];
}
