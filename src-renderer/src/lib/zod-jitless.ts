import { z } from 'zod';

// The renderer's CSP forbids eval. Zod would probe for it with `new Function` (caught, but reported as a CSP
// violation) and fall back anyway; jitless skips the probe. Imported first by main.tsx, before any schema
// is built, because zod decides per schema when the schema is created.
z.config({ jitless: true });
