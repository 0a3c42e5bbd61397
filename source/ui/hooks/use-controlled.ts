/**
 * The latest value of a controlled input, even when keys arrive faster than React re-renders (held keys, pasted
 * text, a terminal that sends several keys in one read). Values this component emitted are remembered until the
 * owner renders them back, so a render that still carries an older value never rolls the input back; a value the
 * owner sets by itself (a reset) wins.
 */
import {useEffect, useRef} from 'react';

export function useControlled<T>(value: T): {get(): T; set(next: T): void} {
	const latest = useRef(value);
	const pending = useRef<T[]>([]);
	useEffect(() => {
		const i = pending.current.indexOf(value);
		if (i >= 0) {
			pending.current = pending.current.slice(i + 1);
			if (pending.current.length === 0) latest.current = value;
		} else {
			pending.current = [];
			latest.current = value;
		}
	}, [value]);
	return {
		get: () => latest.current,
		set: (next) => {
			latest.current = next;
			pending.current.push(next);
		},
	};
}
