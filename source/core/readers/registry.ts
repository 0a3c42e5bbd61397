import type {FormatId, FormatReader} from './types.js';
import {readers as nativeReaders} from './native/index.js';
import {readers as vendorReadersA} from './vendor-a/index.js';
import {readers as vendorReadersB} from './vendor-b/index.js';

/** Every reader, in detection priority order (vendor formats first: they are more specific than native JSON). */
export const allReaders: readonly FormatReader[] = [...vendorReadersA, ...vendorReadersB, ...nativeReaders];

export function readerById(id: string): FormatReader | undefined {
	return allReaders.find((reader) => reader.id === (id as FormatId));
}
