// The executable's entry point (compiled with `bun build --compile`, see scripts/build-backend.mjs).
// The plugin is imported lazily so the go-plugin handshake does not wait for the KiCI modules to load.
import { serve } from './protocol/server';

void serve(async () => (await import('./plugin')).createKiciPlugin());
