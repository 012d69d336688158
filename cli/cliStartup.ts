/**
 * What the CLI does before any other module of it loads, which is why cli.ts
 * imports this first: the bundle requires dist/wire.js where the first module
 * that imports it runs, and by then it must load through the code cache.
 */
import { loadThroughCodeCache } from '../home/codeCache';

loadThroughCodeCache(['wire.js']);
