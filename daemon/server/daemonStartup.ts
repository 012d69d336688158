/**
 * What the daemon does before any module of it loads, which is why
 * daemonEntry.ts imports this first: the daemon (dist/daemonMain.js) and the
 * wire libraries (dist/wire.js) then load through V8's code cache
 * (home/codeCache.ts). Compiling them was a fifth of a daemon's start, and
 * the daemon starts in front of a person's first switch of the day.
 */
import { loadThroughCodeCache } from '../../home/codeCache';

loadThroughCodeCache(['daemonMain.js', 'wire.js']);
