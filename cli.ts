#!/usr/bin/env node
// flexbridge — the command-line entry point; the application layer (app/) dispatches.
import { main } from './app/cli.js';

// `flexbridge … | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => { if (error.code === 'EPIPE') process.exit(0); });

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => { console.error(error instanceof Error ? error.stack : error); process.exitCode = 1; },
);
