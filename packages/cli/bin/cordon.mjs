#!/usr/bin/env node
// The `cordon` bin: runs the TypeScript entry through tsx, as the repo's other entry points do.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
