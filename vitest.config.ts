import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		exclude: ['test/live/**', 'node_modules/**', 'dist/**'],
		setupFiles: ['test/setup.ts'],
		// The machine has 2 cores; a real server may be running beside the tests.
		maxWorkers: 2,
		testTimeout: 20_000,
		hookTimeout: 30_000,
	},
});
