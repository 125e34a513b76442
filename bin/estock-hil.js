#!/usr/bin/env node
// Launcher of the estock-hil command: the project is TypeScript run as is,
// through tsx's loader, so there is no build step between a change and a run.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
