// The executable's entry point (compiled with `bun build --compile`, see scripts/build-backend.mjs).
import { createKiciPlugin } from './plugin';
import { serve } from './protocol/server';

void serve(createKiciPlugin());
